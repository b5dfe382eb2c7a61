package io.streammetrics.alert;

import io.streammetrics.alert.expr.Comparison;
import io.streammetrics.alert.rule.AbsenceCondition;
import io.streammetrics.alert.rule.AlertRule;
import io.streammetrics.alert.rule.AnomalyCondition;
import io.streammetrics.alert.rule.RateOfChangeCondition;
import io.streammetrics.alert.rule.RuleCondition;
import io.streammetrics.alert.rule.TrendCondition;
import io.streammetrics.common.MetricType;
import io.streammetrics.snapshot.SyntheticSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static io.streammetrics.alert.AlertEvent.Kind.FIRING;
import static io.streammetrics.alert.AlertEvent.Kind.RESOLVED;
import static io.streammetrics.alert.AlertFixture.historyKinds;
import static io.streammetrics.alert.AlertFixture.tick;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Anomaly, rate-of-change, trend and absence rules fire and resolve at the evaluation they should. */
class RuleKindsTest {
    private final AlertFixture fixture = new AlertFixture();
    private final AtomicReference<Double> value = new AtomicReference<>(0.0);

    RuleKindsTest() {
        fixture.snapshots(t -> SyntheticSnapshot.at(t).gauge("throughput", List.of("stage"), value.get(), "parse").build());
    }

    private AlertEvaluator evaluator(RuleCondition condition) {
        return fixture.builder().rule(AlertRule.builder("Rule").condition(condition).build()).build();
    }

    @Test
    void anomalyFiresOnADeviationOfMoreThanThresholdStandardDeviationsAfterMinHistory() {
        AlertEvaluator evaluator = evaluator(AnomalyCondition.builder("last(throughput)").baseline(10).minHistory(10)
                .threshold(3).build());
        // Baseline alternating 90/110: mean 100, standard deviation 10.
        for (int i = 0; i < 10; i++) {
            value.set(i % 2 == 0 ? 90.0 : 110.0);
            tick(fixture, evaluator, 1);
        }
        value.set(129.0);
        tick(fixture, evaluator, 1);
        assertEquals(List.of(), historyKinds(evaluator), "z = 2.9");
        // The baseline is now the last ten values: 110, 90, ..., 110, 129 without the first 90.
        value.set(200.0);
        tick(fixture, evaluator, 1);
        assertEquals(List.of(FIRING), historyKinds(evaluator));
        double[] baseline = {90, 110, 90, 110, 90, 110, 90, 110, 129, 110};
        assertEquals(zScore(baseline, 200.0), evaluator.activeAlerts().get(0).value(), 1e-9);
        value.set(100.0);
        tick(fixture, evaluator, 1);
        assertEquals(List.of(FIRING, RESOLVED), historyKinds(evaluator));
    }

    private static double zScore(double[] baseline, double value) {
        double mean = 0;
        for (double v : baseline) {
            mean += v / baseline.length;
        }
        double variance = 0;
        for (double v : baseline) {
            variance += (v - mean) * (v - mean) / baseline.length;
        }
        return (value - mean) / Math.sqrt(variance);
    }

    @Test
    void anomalyDoesNotFireBeforeMinHistory() {
        AlertEvaluator five = evaluator(AnomalyCondition.builder("last(throughput)").baseline(20).minHistory(5).build());
        AlertEvaluator four = evaluator(AnomalyCondition.builder("last(throughput)").baseline(20).minHistory(4).build());
        for (double v : new double[]{100, 101, 102, 103, 10_000}) {
            value.set(v);
            fixture.clock.advance(Duration.ofSeconds(1));
            five.evaluateOnce();
            four.evaluateOnce();
        }
        assertEquals(List.of(), historyKinds(five), "four values of history, five needed");
        assertEquals(List.of(FIRING), historyKinds(four));
    }

    @Test
    void robustAnomalyIsNotBlindedByAnOutlierInTheBaseline() {
        AlertEvaluator plain = evaluator(AnomalyCondition.builder("last(throughput)").baseline(10).minHistory(10)
                .threshold(3.5).build());
        AlertEvaluator robust = evaluator(AnomalyCondition.builder("last(throughput)").baseline(10).minHistory(10)
                .threshold(3.5).robust(true).build());
        // The 5000 arrives before min_history is reached, so it joins both baselines.
        for (double v : new double[]{100, 101, 99, 5000, 100, 102, 98, 100, 101, 99, 130}) {
            value.set(v);
            fixture.clock.advance(Duration.ofSeconds(1));
            plain.evaluateOnce();
            robust.evaluateOnce();
        }
        // The 5000 in the plain baseline inflates its deviation to ~1470: 130 scores -0.3.
        assertEquals(List.of(), historyKinds(plain));
        // Robust: median 100 and MAD 1 despite the 5000, so 130 scores 0.6745 * 30.
        assertEquals(List.of(FIRING), historyKinds(robust));
        assertEquals(0.6745 * 30, robust.activeAlerts().get(0).value(), 1e-9);
    }

    @Test
    void rateOfChangeComparesWithTheValueOneWindowEarlier() {
        AlertEvaluator evaluator = evaluator(RateOfChangeCondition.of("last(throughput)", Duration.ofSeconds(10),
                Comparison.LESS_OR_EQUAL, -50));
        value.set(1000.0);
        tick(fixture, evaluator, 5);
        value.set(400.0);
        tick(fixture, evaluator, 1);
        assertEquals(List.of(), historyKinds(evaluator), "no value 10 s back yet");
        tick(fixture, evaluator, 4);
        assertEquals(List.of(), historyKinds(evaluator), "9 s of history");
        tick(fixture, evaluator, 1);
        assertEquals(List.of(FIRING), historyKinds(evaluator), "400 vs 1000 ten seconds earlier: -60 %");
        assertEquals(-60.0, evaluator.activeAlerts().get(0).value(), 1e-9);
        tick(fixture, evaluator, 4);
        assertEquals(List.of(FIRING), historyKinds(evaluator));
        tick(fixture, evaluator, 1);
        assertEquals(List.of(FIRING, RESOLVED), historyKinds(evaluator), "400 vs 400 ten seconds earlier");
    }

    @Test
    void rateOfChangeAndTrendHaveNoDataExactlyWhenTheirExpressionReturnsNoSeries() {
        RuleCondition change = RateOfChangeCondition.of("last(throughput)", Duration.ofSeconds(10),
                Comparison.LESS_OR_EQUAL, -50);
        RuleCondition trend = TrendCondition.of("last(missing)", Duration.ofSeconds(20), Duration.ofSeconds(60),
                Comparison.GREATER_OR_EQUAL, 1000);
        AlertEvaluator evaluator = fixture.builder().rule(AlertRule.builder("Change").condition(change).build())
                .rule(AlertRule.builder("Trend").condition(trend).build()).build();
        tick(fixture, evaluator, 1);
        assertFalse(change.noData(), "throughput has a series");
        assertTrue(trend.noData(), "missing has none");
        assertEquals("change(last(throughput), 10s) % <= -50.0", change.toString());
        assertEquals("predict_linear(last(missing)[20s], 60.0s) >= 1000.0", trend.toString());
    }

    @Test
    void trendFiresAndResolvesExactlyWhenTheLeastSquaresPredictionCrossesTheLimit() {
        AlertEvaluator evaluator = evaluator(TrendCondition.of("last(throughput)", Duration.ofSeconds(20),
                Duration.ofSeconds(60), Comparison.GREATER_OR_EQUAL, 1000));
        // Grows 10 a second to 400, then stays flat.
        double[] values = new double[70];
        for (int t = 0; t < values.length; t++) {
            values[t] = Math.min(10.0 * (t + 1), 400);
        }
        int fired = -1;
        int resolved = -1;
        for (int t = 0; t < values.length; t++) {
            value.set(values[t]);
            tick(fixture, evaluator, 1);
            // Samples of the last 20 s (t - 19 .. t), once they span at least half the window.
            boolean expected = t >= 10 && predict(values, Math.max(0, t - 19), t, 60) >= 1000;
            assertEquals(expected, !evaluator.activeAlerts().isEmpty(), "at t = " + t);
            if (expected && fired < 0) {
                fired = t;
            }
            if (!expected && fired >= 0 && resolved < 0) {
                resolved = t;
            }
        }
        assertTrue(fired > 0 && resolved > fired, "fired at " + fired + ", resolved at " + resolved);
        assertEquals(List.of(FIRING, RESOLVED), historyKinds(evaluator));
    }

    /** Least squares over values[from..to] (one per second) extrapolated {@code horizon} seconds past {@code to}. */
    private static double predict(double[] values, int from, int to, double horizon) {
        int n = to - from + 1;
        double meanX = (from + to) / 2.0;
        double meanY = 0;
        for (int i = from; i <= to; i++) {
            meanY += values[i] / n;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = from; i <= to; i++) {
            sxy += (i - meanX) * (values[i] - meanY);
            sxx += (i - meanX) * (i - meanX);
        }
        double slope = sxy / sxx;
        return meanY + slope * (to + horizon - meanX);
    }

    @Test
    void absenceFiresWhenASeriesStopsUpdatingForLongerThanTheDuration() {
        AtomicReference<Long> lastUpdate = new AtomicReference<>(AlertFixture.START);
        fixture.snapshots(t -> SyntheticSnapshot.at(t).point("records_processed", MetricType.COUNTER,
                List.of("stage"), 1, lastUpdate.get(), "parse").build());
        AlertEvaluator evaluator = evaluator(AbsenceCondition.of("records_processed_total{stage=\"parse\"}",
                Duration.ofSeconds(30)));
        tick(fixture, evaluator, 30);
        assertEquals(List.of(), historyKinds(evaluator), "exactly 30 s is not longer than 30 s");
        tick(fixture, evaluator, 1);
        assertEquals(List.of(FIRING), historyKinds(evaluator));
        assertEquals(31.0, evaluator.activeAlerts().get(0).value());
        assertEquals("parse", evaluator.activeAlerts().get(0).labels().get("stage"));
        lastUpdate.set(fixture.clock.epochMillis() + 1000);
        tick(fixture, evaluator, 1);
        assertEquals(List.of(FIRING, RESOLVED), historyKinds(evaluator));
    }

    @Test
    void absenceOfEveryMatchingSeriesFiresWithTheSelectorsLabels() {
        AlertEvaluator evaluator = evaluator(AbsenceCondition.of("records_processed_total{stage=\"parse\"}",
                Duration.ofSeconds(10)));
        tick(fixture, evaluator, 10);
        assertEquals(List.of(), historyKinds(evaluator));
        tick(fixture, evaluator, 1);
        assertEquals(List.of(FIRING), historyKinds(evaluator));
        assertEquals("parse", evaluator.activeAlerts().get(0).labels().get("stage"));
    }
}
