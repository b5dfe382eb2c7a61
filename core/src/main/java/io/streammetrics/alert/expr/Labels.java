package io.streammetrics.alert.expr;

import io.streammetrics.registry.NameRules;
import io.streammetrics.snapshot.FamilySnapshot;
import io.streammetrics.snapshot.SeriesPoint;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Label sets of series, sorted by name so that equal sets compare, hash and render the same. */
final class Labels {
    private Labels() {
    }

    /** The labels of a point: its family's label names with its values; the overflow series is told apart. */
    static Map<String, String> of(FamilySnapshot family, SeriesPoint point) {
        if (point.isOverflow()) {
            return Map.of(NameRules.OVERFLOW_LABEL, "true");
        }
        List<String> names = family.labelNames();
        List<String> values = point.labelValues();
        TreeMap<String, String> labels = new TreeMap<>();
        for (int i = 0; i < names.size(); i++) {
            labels.put(names.get(i), values.get(i));
        }
        return Collections.unmodifiableMap(labels);
    }

    /** The labels kept by a {@code by} (keep) or {@code without} (drop) grouping. */
    static Map<String, String> group(Map<String, String> labels, List<String> names, boolean without) {
        TreeMap<String, String> kept = new TreeMap<>();
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (names.contains(label.getKey()) != without) {
                kept.put(label.getKey(), label.getValue());
            }
        }
        return kept;
    }
}
