package io.streammetrics.push;

import io.streammetrics.internal.registry.NameRules;
import io.streammetrics.metadata.FamilyMetadata;
import io.streammetrics.metadata.SeriesMetadata;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The labels a pushed series carries, the same for every push format: the family's labels with the series' values,
 * {@code otel_metric_overflow="true"} on the overflow series, and each external label the series does not have
 * itself (as Prometheus adds external labels), sorted by name (as remote write requires and line protocol
 * recommends). Worked out once per series and kept by the encoders.
 */
public final class SeriesLabels {
    private SeriesLabels() {
    }

    /** The sorted labels of {@code series} of {@code family} with {@code externalLabels} added. */
    public static TreeMap<String, String> of(FamilyMetadata family, SeriesMetadata series,
                                             Map<String, String> externalLabels) {
        TreeMap<String, String> labels = new TreeMap<>(externalLabels);
        List<String> names = family.labelNames();
        List<String> values = series.labelValues();
        for (int i = 0; i < names.size(); i++) {
            labels.put(names.get(i), values.get(i));
        }
        if (series.isOverflow()) {
            labels.put(NameRules.OVERFLOW_LABEL, "true");
        }
        return labels;
    }
}
