package io.streammetrics.prometheus;

import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.streammetrics.internal.registry.IdTable;
import io.streammetrics.internal.registry.NameRules;
import io.streammetrics.metadata.SeriesMetadata;

import java.util.ArrayList;
import java.util.List;

/**
 * The client_java model objects that never change, made on first sight and kept by the collector for every
 * {@link ModelBuilder}: per family its {@link MetricMetadata}, per series its {@link Labels}. Written only from store
 * visits, which the engine runs one at a time under its snapshot lock.
 */
final class ModelCache {
    private final IdTable<MetricMetadata> metadata = new IdTable<>(16);
    private final IdTable<Labels> labels = new IdTable<>(256);

    /** The metadata of a planned family (by family index). */
    MetricMetadata metadata(int familyIndex, FamilyPlan plan) {
        return metadata.computeIfAbsent(familyIndex, plan, ModelMetadata::of);
    }

    /**
     * The labels of a series: the family's label names with the series' values, the overflow series' with
     * {@code otel_metric_overflow="true"} added.
     */
    Labels labels(SeriesMetadata series) {
        return labels.computeIfAbsent(series.id(), series, ModelCache::newLabels);
    }

    private static Labels newLabels(SeriesMetadata series) {
        List<String> names = series.family().labelNames();
        if (!series.isOverflow()) {
            return names.isEmpty() ? Labels.EMPTY : Labels.of(names, series.labelValues());
        }
        List<String> overflowNames = new ArrayList<>(names);
        List<String> overflowValues = new ArrayList<>(series.labelValues());
        overflowNames.add(NameRules.OVERFLOW_LABEL);
        overflowValues.add("true");
        return Labels.of(overflowNames, overflowValues);
    }
}
