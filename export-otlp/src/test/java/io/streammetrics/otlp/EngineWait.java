package io.streammetrics.otlp;

import io.streammetrics.MetricsEngine;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.FamilySnapshot;
import io.streammetrics.snapshot.GaugePoint;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.SeriesPoint;

import java.time.Duration;

/**
 * Waits until the engine has applied what a test recorded. {@code engine.snapshot()} waits for the aggregator only
 * up to 100 ms; on a loaded machine a test that then collects through the producer could see an earlier state. The
 * store only moves forward, so once a snapshot shows the expected state every later one (the producer's) does too.
 */
final class EngineWait {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private EngineWait() {
    }

    static void counter(MetricsEngine engine, String family, double value, String... labels) {
        Poll.until(WAIT, () -> point(engine, family, labels) instanceof CounterPoint p && p.value() == value,
                () -> family + " = " + value + ", got " + point(engine, family, labels));
    }

    static void gauge(MetricsEngine engine, String family, double value, String... labels) {
        Poll.until(WAIT, () -> point(engine, family, labels) instanceof GaugePoint p && p.value() == value,
                () -> family + " = " + value + ", got " + point(engine, family, labels));
    }

    static void histogramCount(MetricsEngine engine, String family, long count, String... labels) {
        Poll.until(WAIT, () -> point(engine, family, labels) instanceof HistogramPoint p && p.count() == count,
                () -> family + " count " + count + ", got " + point(engine, family, labels));
    }

    private static SeriesPoint point(MetricsEngine engine, String family, String... labels) {
        FamilySnapshot snapshot = engine.snapshot().family(family);
        return snapshot == null ? null : snapshot.point(labels);
    }
}
