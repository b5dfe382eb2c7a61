package io.streammetrics.window;

import io.streammetrics.alert.expr.EvalContext;
import io.streammetrics.alert.expr.Expr;
import io.streammetrics.alert.expr.ExprParser;
import io.streammetrics.alert.expr.Sample;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.snapshot.SyntheticSnapshot;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rate, increase and *_over_time from windows of synthetic counters and gauges, against hand-computed values. */
class WindowFunctionsTest {
    private static final long T0 = 1_700_000_000_000L;

    /** Feeds one value per second through the store and returns the expression's single value after the last. */
    private static double evaluate(String expression, WindowSettings settings, boolean counter, double... values) {
        Expr expr = ExprParser.parse(expression);
        WindowStore store = new WindowStore(settings);
        expr.declareWindows(store);
        List<Sample> result = List.of();
        for (int i = 0; i < values.length; i++) {
            long t = T0 + i * 1000L;
            SyntheticSnapshot builder = SyntheticSnapshot.at(t);
            MetricsSnapshot snapshot = (counter ? builder.counter("c", List.of(), values[i])
                    : builder.gauge("g", List.of(), values[i])).build();
            store.update(snapshot, t);
            result = expr.evaluate(new EvalContext(snapshot, store, t));
        }
        assertEquals(1, result.size(), expression + " gave " + result);
        return result.get(0).value();
    }

    @Test
    void rateAndIncreaseCountAResetAsARestartFromZero() {
        double[] counter = {0, 10, 20, 30, 5, 15, 25};
        // 10 + 10 + 10 + (reset) 5 + 10 + 10 over 6 s.
        assertEquals(55.0, evaluate("increase(c_total[6s])", WindowSettings.DEFAULT, true, counter));
        assertEquals(55.0 / 6, evaluate("rate(c_total[6s])", WindowSettings.DEFAULT, true, counter), 1e-12);
        // From 30 at t=3: 5 + 10 + 10.
        assertEquals(25.0, evaluate("increase(c[3s])", WindowSettings.DEFAULT, true, counter));
    }

    @Test
    void aPartialWindowRatesOverTheTimeItCovers() {
        assertEquals(20.0 / 2, evaluate("rate(c_total[1m])", WindowSettings.DEFAULT, true, 0, 10, 20), 1e-12);
    }

    @Test
    void overTimeFunctionsReduceTheSamplesOfTheWindow() {
        double[] gauge = {50, 1, 2, 9, 4};
        assertEquals(4.0, evaluate("avg_over_time(g[4s])", WindowSettings.DEFAULT, false, gauge), 1e-12);
        assertEquals(1.0, evaluate("min_over_time(g[4s])", WindowSettings.DEFAULT, false, gauge));
        assertEquals(9.0, evaluate("max_over_time(g[4s])", WindowSettings.DEFAULT, false, gauge));
        assertEquals(50.0, evaluate("max_over_time(g[5s])", WindowSettings.DEFAULT, false, gauge));
        assertEquals(4.0, evaluate("last(g)", WindowSettings.DEFAULT, false, gauge));
        assertEquals(8.0, evaluate("g * 2", WindowSettings.DEFAULT, false, gauge));
    }

    @Test
    void longWindowsReadCoarseCheckpointsAndMemoryStaysBounded() {
        // Full resolution up to 10 s, checkpoints every 5 s beyond.
        WindowSettings settings = new WindowSettings(1000, 10_000, 5_000);
        double[] counter = new double[201];
        for (int i = 0; i < counter.length; i++) {
            counter[i] = 3.0 * i;
        }
        // At t = 200 s a checkpoint lies exactly 60 s back.
        assertEquals(180.0, evaluate("increase(c_total[60s])", settings, true, counter));
        assertEquals(15.0, evaluate("increase(c_total[5s])", settings, true, counter));
        // At t = 199 s the window starts at the checkpoint of 135 s (the last at or before 139 s) and ends now:
        // 64 s, and the rate divides by them.
        double[] earlier = java.util.Arrays.copyOf(counter, 200);
        assertEquals(3.0 * 64, evaluate("increase(c_total[60s])", settings, true, earlier));
        assertEquals(3.0, evaluate("rate(c_total[60s])", settings, true, earlier), 1e-12);

        Expr expr = ExprParser.parse("rate(c_total[60s])");
        WindowStore store = new WindowStore(settings);
        expr.declareWindows(store);
        for (int i = 0; i < 1000; i++) {
            long t = T0 + i * 1000L;
            store.update(SyntheticSnapshot.at(t).counter("c", List.of(), i).build(), t);
        }
        ScalarWindow window = store.scalar(new SeriesKey("c", List.of(), false, Signal.VALUE, 0));
        // Fine: 10 s / 1 s + 2; coarse: 60 s / 5 s + 2.
        assertEquals(12 + 14, window.samplesKept());
    }

    @Test
    void windowsOfSeriesNoLongerMatchedAreDropped() {
        Expr expr = ExprParser.parse("rate(c_total{stage=\"parse\"}[10s])");
        WindowStore store = new WindowStore(WindowSettings.DEFAULT);
        expr.declareWindows(store);
        store.update(SyntheticSnapshot.at(T0).counter("c", List.of("stage"), 1, "parse")
                .counter("c", List.of("stage"), 1, "enrich").build(), T0);
        assertEquals(1, store.trackedSeries(), "only the matched series is tracked");
        store.update(SyntheticSnapshot.at(T0 + 1000).counter("c", List.of("stage"), 1, "enrich").build(), T0 + 1000);
        assertEquals(0, store.trackedSeries());
        assertTrue(store.scalar(new SeriesKey("c", List.of("parse"), false, Signal.VALUE, 0)) == null);
    }

    @Test
    void aggregationsGroupByTheKeptLabels() {
        Expr expr = ExprParser.parse("sum by (stage) (last(c_total)) / max without (stage, shard) (last(c_total))");
        MetricsSnapshot snapshot = SyntheticSnapshot.at(T0)
                .counter("c", List.of("stage", "shard"), 2, "parse", "0")
                .counter("c", List.of("stage", "shard"), 6, "parse", "1")
                .counter("c", List.of("stage", "shard"), 4, "enrich", "0").build();
        WindowStore store = new WindowStore(WindowSettings.DEFAULT);
        List<Sample> byStage = ExprParser.parse("sum by (stage) (last(c_total))").evaluate(new EvalContext(snapshot, store, T0));
        assertEquals(2, byStage.size());
        for (Sample sample : byStage) {
            assertEquals(sample.labels().get("stage").equals("parse") ? 8.0 : 4.0, sample.value());
        }
        // The two sides' label sets differ ({stage} vs {}): one-to-one matching pairs nothing.
        assertEquals(List.of(), expr.evaluate(new EvalContext(snapshot, store, T0)));
        List<Sample> ratio = ExprParser.parse("sum(last(c_total)) / max(last(c_total))")
                .evaluate(new EvalContext(snapshot, store, T0));
        assertEquals(12.0 / 6, ratio.get(0).value());
    }
}
