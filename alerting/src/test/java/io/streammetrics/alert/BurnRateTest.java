package io.streammetrics.alert;

import io.streammetrics.alert.expr.EvalContext;
import io.streammetrics.alert.rule.AlertRule;
import io.streammetrics.alert.rule.BurnRateCondition;
import io.streammetrics.alert.rule.BurnWindow;
import io.streammetrics.alert.rule.Severity;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.snapshot.SyntheticSnapshot;
import io.streammetrics.window.WindowSettings;
import io.streammetrics.window.WindowStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.streammetrics.alert.AlertEvent.Kind.FIRING;
import static io.streammetrics.alert.AlertEvent.Kind.RESOLVED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * SLO burn rates against a synthetic history: 100 requests a second, of which 20 a second fail from t = 100 s to
 * t = 200 s. Objective 99 %, so the budget is 1 % and a 20 % error ratio burns at 20.
 */
class BurnRateTest {
    private static final double OBJECTIVE = 0.99;

    private static double total(long t) {
        return 100.0 * t;
    }

    private static double bad(long t) {
        return 20.0 * Math.min(Math.max(t - 100, 0), 100);
    }

    private static MetricsSnapshot snapshot(long epochMillis, long t) {
        return SyntheticSnapshot.at(epochMillis)
                .counter("requests", List.of("stage"), total(t), "parse")
                .counter("requests_good", List.of("stage"), total(t) - bad(t), "parse").build();
    }

    /** Burn rate over (start, t] by hand. */
    private static double burn(long t, long start) {
        return (bad(t) - bad(start)) / (total(t) - total(start)) / (1 - OBJECTIVE);
    }

    private static BurnRateCondition.Builder slo() {
        return BurnRateCondition.builder().ratio("requests_good_total", "requests_total").objective(OBJECTIVE).by("stage");
    }

    @Test
    void burnRatesMatchTheHandComputedOnesIncludingLongWindowsFromCoarseCheckpoints() {
        BurnWindow fine = new BurnWindow(Duration.ofSeconds(60), Duration.ofSeconds(5), 14.4, Severity.CRITICAL);
        BurnWindow coarse = new BurnWindow(Duration.ofSeconds(300), Duration.ofSeconds(30), 6, Severity.WARNING);
        BurnRateCondition condition = slo().window(fine).window(coarse).build();
        // Full resolution up to 2 min; the 5 min window reads checkpoints taken every 10 s.
        WindowStore store = new WindowStore(new WindowSettings(1000, 120_000, 10_000));
        condition.declareWindows(store);
        for (long t = 0; t <= 400; t++) {
            long now = AlertFixture.START + t * 1000;
            MetricsSnapshot snapshot = snapshot(now, t);
            store.update(snapshot, now);
            EvalContext context = new EvalContext(snapshot, store, now);
            if (t < 1) {
                continue;
            }
            Map<String, String> parse = Map.of("stage", "parse");
            assertEquals(burn(t, Math.max(0, t - 60)), condition.burnRates(context, Duration.ofSeconds(60)).get(parse),
                    1e-9, "60 s window at t = " + t);
            assertEquals(burn(t, Math.max(0, t - 5)), condition.burnRates(context, Duration.ofSeconds(5)).get(parse),
                    1e-9, "5 s window at t = " + t);
            // Checkpoints fall on multiples of 10 s: the window starts at the last one at or before t - 300 s (or at
            // 0), and ends now.
            long start = Math.max(0, Math.floorDiv(t - 300, 10) * 10);
            assertEquals(burn(t, start), condition.burnRates(context, Duration.ofSeconds(300)).get(parse),
                    1e-9, "300 s window at t = " + t);
        }
    }

    @Test
    void aPairFiresWhenBothWindowsBurnFasterThanItsRateAndResolvesWhenTheShortOneStops() {
        BurnWindow pair = new BurnWindow(Duration.ofSeconds(60), Duration.ofSeconds(5), 14.4, Severity.CRITICAL);
        AlertFixture fixture = new AlertFixture();
        fixture.snapshots(now -> snapshot(now, (now - AlertFixture.START) / 1000));
        AlertEvaluator evaluator = fixture.builder()
                .rule(AlertRule.builder("ParseSlo").condition(slo().window(pair).build()).build()).build();
        long firedAt = -1;
        long resolvedAt = -1;
        for (long t = 0; t <= 300; t++) {
            if (t > 0) {
                fixture.clock.advance(Duration.ofSeconds(1));
            }
            evaluator.evaluateOnce();
            boolean expected = t >= 1 && burn(t, Math.max(0, t - 60)) > 14.4 && burn(t, Math.max(0, t - 5)) > 14.4;
            assertEquals(expected, !evaluator.activeAlerts().isEmpty(), "at t = " + t);
            if (expected && firedAt < 0) {
                firedAt = t;
            }
            if (!expected && firedAt >= 0 && resolvedAt < 0) {
                resolvedAt = t;
            }
        }
        // 44 s of 20 % errors make 14.67 % over 60 s; two seconds after the errors stop, the 5 s window is at 12 %.
        assertEquals(144, firedAt);
        assertEquals(202, resolvedAt);
        List<AlertEvent> history = evaluator.history();
        assertEquals(List.of(FIRING, RESOLVED), history.stream().map(AlertEvent::kind).toList());
        Alert alert = history.get(0).alert();
        assertEquals("1m", alert.labels().get(BurnRateCondition.WINDOW_LABEL));
        assertEquals(Severity.CRITICAL, alert.severity());
        assertEquals("parse", alert.labels().get("stage"));
        assertEquals(burn(144, 84), alert.value(), 1e-9);
    }

    @Test
    void theDefaultWindowsAreTheWorkbooksAndBadObjectivesAreRejected() {
        assertEquals(List.of(14.4, 6.0, 1.0), BurnWindow.DEFAULTS.stream().map(BurnWindow::burnRate).toList());
        assertEquals(Duration.ofDays(3), BurnWindow.DEFAULTS.get(2).longWindow());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BurnRateCondition.builder().ratio("a_total", "b_total").objective(99.9).build());
        assertEquals(true, e.getMessage().contains("99.9"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new BurnWindow(Duration.ofMinutes(5), Duration.ofHours(1), 14.4, Severity.CRITICAL));
    }
}
