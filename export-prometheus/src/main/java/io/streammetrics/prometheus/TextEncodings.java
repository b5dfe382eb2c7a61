package io.streammetrics.prometheus;

import io.streammetrics.metadata.FamilyMetadata;
import io.streammetrics.internal.registry.IdTable;
import io.streammetrics.internal.registry.NameRules;
import io.streammetrics.metadata.SeriesMetadata;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one {@link StoreTextWriter} encodes on first sight and keeps for all its renderers: per family its
 * {@link TextFamily}, per series its label block. Written only from store visits, which the engine runs one at a time
 * under its snapshot lock, so never concurrently.
 */
final class TextEncodings {
    private final IdTable<TextFamily> families = new IdTable<>(16);
    private final IdTable<byte[]> labels = new IdTable<>(256);

    /** The encoded parts of a planned family (by family index). */
    TextFamily family(int familyIndex, FamilyPlan plan) {
        return families.computeIfAbsent(familyIndex, plan, TextFamily::new);
    }

    /** The label block of a series ({@link #seriesLabels}). */
    byte[] labels(SeriesMetadata series) {
        return labels.computeIfAbsent(series.id(), series, s -> seriesLabels(s.family(), s));
    }

    /**
     * A series' labels as written before the value, without the closing brace so that {@code le} or
     * {@code quantile} can follow: {@code {a="x",b="y"} sorted by name as client_java sorts them, the overflow
     * series with {@code otel_metric_overflow="true"}; empty for a series without labels. Values are escaped as in
     * both text formats (backslash, quote, newline).
     */
    static byte[] seriesLabels(FamilyMetadata family, SeriesMetadata series) {
        TreeMap<String, String> labels = new TreeMap<>();
        List<String> names = family.labelNames();
        for (int i = 0; i < names.size(); i++) {
            labels.put(names.get(i), series.labelValues().get(i));
        }
        if (series.isOverflow()) {
            labels.put(NameRules.OVERFLOW_LABEL, "true");
        }
        if (labels.isEmpty()) {
            return new byte[0];
        }
        StringBuilder block = new StringBuilder();
        for (Map.Entry<String, String> label : labels.entrySet()) {
            block.append(block.length() == 0 ? '{' : ',').append(label.getKey()).append("=\"");
            String value = label.getValue();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\\' || c == '"') {
                    block.append('\\').append(c);
                } else if (c == '\n') {
                    block.append("\\n");
                } else {
                    block.append(c);
                }
            }
            block.append('"');
        }
        return block.toString().getBytes(StandardCharsets.UTF_8);
    }
}
