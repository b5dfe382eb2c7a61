package io.streammetrics.window;

import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.alert.expr.EvalContext;
import io.streammetrics.alert.expr.Expr;
import io.streammetrics.alert.expr.ExprParser;
import io.streammetrics.alert.expr.Sample;
import io.streammetrics.metric.Histogram;
import io.streammetrics.metric.Timer;
import io.streammetrics.snapshot.MetricsSnapshot;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Windowed quantiles from bucket differences of a real engine's histograms equal HdrHistogram's percentiles of the
 * values recorded in the window.
 */
class WindowedQuantileTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final double[] QUANTILES = {0, 0.25, 0.5, 0.9, 0.99, 0.999, 1};

    @Test
    void quantileOfTheWindowEqualsHdrHistogramOverTheWindowsValues() {
        try (MetricsEngine engine = MetricsEngine.builder().backPressure(BackPressure.BLOCK).build().start()) {
            Histogram histogram = engine.histogram("payload").register().labels();
            SplittableRandom random = new SplittableRandom(42);
            WindowStore store = new WindowStore(WindowSettings.DEFAULT);
            List<Expr> exprs = new java.util.ArrayList<>();
            for (double q : QUANTILES) {
                Expr expr = ExprParser.parse("quantile(" + q + ", payload[3s])");
                expr.declareWindows(store);
                exprs.add(expr);
            }
            // Seconds 0..5, a different distribution each second; the window at t=5 covers seconds 3, 4 and 5.
            org.HdrHistogram.Histogram expected = null;
            MetricsSnapshot snapshot = null;
            for (int second = 0; second <= 5; second++) {
                if (second == 3) {
                    expected = new org.HdrHistogram.Histogram(1, engine.histogramLayout().highestTrackableValue(), 2);
                }
                long scale = 100L << (second * 3);
                for (int i = 0; i < 5000; i++) {
                    long value = 1 + random.nextLong(scale);
                    histogram.record(value);
                    if (expected != null) {
                        expected.recordValue(value);
                    }
                }
                snapshot = engine.snapshot();
                // The window starts at the sample of second 2: differencing removes everything recorded until then.
                store.update(snapshot, T0 + second * 1000L);
            }
            for (int i = 0; i < QUANTILES.length; i++) {
                List<Sample> result = exprs.get(i).evaluate(new EvalContext(snapshot, store, T0 + 5000));
                assertEquals(1, result.size());
                assertEquals((double) expected.getValueAtPercentile(QUANTILES[i] * 100), result.get(0).value(),
                        "quantile " + QUANTILES[i]);
            }
        }
    }

    /** Evaluates an expression over windows fed {@code before} at T0 and {@code after} a second later. */
    private static double evaluateOver(MetricsSnapshot before, MetricsSnapshot after, String text) {
        Expr expr = ExprParser.parse(text);
        WindowStore store = new WindowStore(WindowSettings.DEFAULT);
        expr.declareWindows(store);
        store.update(before, T0);
        store.update(after, T0 + 1000);
        List<Sample> result = expr.evaluate(new EvalContext(after, store, T0 + 1000));
        assertEquals(1, result.size(), text);
        return result.get(0).value();
    }

    @Test
    void timerQuantilesAreInSecondsAndAnEmptyWindowHasNone() {
        try (MetricsEngine engine = MetricsEngine.builder().backPressure(BackPressure.BLOCK).build().start()) {
            Timer timer = engine.timer("latency").labelNames("stage").register().labels("parse");
            Expr expr = ExprParser.parse("quantile(0.5, latency_seconds{stage=\"parse\"}[1s])");
            WindowStore store = new WindowStore(WindowSettings.DEFAULT);
            expr.declareWindows(store);
            MetricsSnapshot empty = engine.snapshot();
            store.update(empty, T0);
            org.HdrHistogram.Histogram expected = new org.HdrHistogram.Histogram(1,
                    engine.histogramLayout().highestTrackableValue(), 2);
            for (long millis = 1; millis <= 100; millis++) {
                timer.record(millis * 1_000_000);
                expected.recordValue(millis * 1_000_000);
            }
            MetricsSnapshot snapshot = engine.snapshot();
            store.update(snapshot, T0 + 1000);
            List<Sample> result = expr.evaluate(new EvalContext(snapshot, store, T0 + 1000));
            assertEquals(expected.getValueAtPercentile(50) / 1e9, result.get(0).value(), 1e-15);
            assertEquals("parse", result.get(0).labels().get("stage"));
            // The timer's other parts, in seconds: 1 + 2 + ... + 100 ms.
            assertEquals(5.050, evaluateOver(empty, snapshot, "increase(latency_seconds_sum[1s])"), 1e-12);
            assertEquals(100.0, evaluateOver(empty, snapshot, "increase(latency_seconds_count{stage=\"parse\"}[1s])"));
            // le counts the buckets lying wholly at or below the bound: 50 ms shares its bucket with values above.
            io.streammetrics.common.HistogramLayout layout = engine.histogramLayout();
            long atMost = 0;
            for (long millis = 1; millis <= 100; millis++) {
                atMost += layout.highestValueAt(layout.indexOf(millis * 1_000_000)) <= 50_000_000 ? 1 : 0;
            }
            assertEquals(49, atMost);
            assertEquals(atMost, evaluateOver(empty, snapshot, "last(latency_seconds_bucket{le=\"0.05\"})"));
            assertEquals(100.0, evaluateOver(empty, snapshot, "last(latency_seconds_bucket{le=\"+Inf\"})"));
            store.update(snapshot, T0 + 2000);
            assertEquals(List.of(), expr.evaluate(new EvalContext(snapshot, store, T0 + 2000)),
                    "nothing recorded in the last second");
        }
    }
}
