package io.streammetrics.alert.expr;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Label sets of series (a series' own come from {@link io.streammetrics.window.SeriesIndex#labels}). */
final class Labels {
    private Labels() {
    }

    /** The labels kept by a {@code by} (keep) or {@code without} (drop) grouping. */
    static Map<String, String> group(Map<String, String> labels, List<String> names, boolean without) {
        if (!without && names.size() == 1) {
            // by (one label), the usual grouping: a one-entry map, not a tree, per sample.
            String value = labels.get(names.get(0));
            return value == null ? Map.of() : Map.of(names.get(0), value);
        }
        TreeMap<String, String> kept = new TreeMap<>();
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (names.contains(label.getKey()) != without) {
                kept.put(label.getKey(), label.getValue());
            }
        }
        return kept;
    }
}
