package io.streammetrics.push;

import io.streammetrics.MetricsEngine;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.FamilySnapshot;
import io.streammetrics.snapshot.SeriesPoint;

/** Reads a push exporter's self-metrics from its engine, for tests. */
public final class PushCounts {
    private final MetricsEngine engine;
    private final String exporter;

    public PushCounts(MetricsEngine engine, String exporter) {
        this.engine = engine;
        this.exporter = exporter;
    }

    /** {@code streammetrics_push_samples_total{exporter, result}}: sent, failed or dropped. */
    public double samples(String result) {
        return value("streammetrics_push_samples", result);
    }

    /** {@code streammetrics_push_requests_total{exporter, result}}: success, retry or rejected. */
    public double requests(String result) {
        return value("streammetrics_push_requests", result);
    }

    private double value(String family, String result) {
        FamilySnapshot snapshot = engine.snapshot().family(family);
        SeriesPoint point = snapshot == null ? null : snapshot.point(exporter, result);
        return point == null ? 0 : ((CounterPoint) point).value();
    }
}
