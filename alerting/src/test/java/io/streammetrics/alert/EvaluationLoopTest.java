package io.streammetrics.alert;

import io.streammetrics.MetricsEngine;
import io.streammetrics.alert.rule.AbsenceCondition;
import io.streammetrics.alert.rule.AlertRule;
import io.streammetrics.alert.rule.ThresholdCondition;
import io.streammetrics.common.EngineClock;
import io.streammetrics.common.MetricType;
import io.streammetrics.health.EvaluatorCheck;
import io.streammetrics.health.HealthCheckResult;
import io.streammetrics.health.HealthStatus;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.snapshot.SyntheticSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.streammetrics.EngineTestSupport.counterLong;
import static io.streammetrics.EngineTestSupport.gauge;
import static io.streammetrics.EngineTestSupport.histogram;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The evaluation loop: windows on the snapshot's clock, one evaluation after a stall rather than a burst, the loop's
 * self-metrics and its health check.
 */
class EvaluationLoopTest {
    private final AlertFixture fixture = new AlertFixture();

    /** A counter growing at exactly 1,000/s of the clock, read by snapshots stamped when they read it. */
    private MetricsSnapshot counterAt(long millis) {
        return SyntheticSnapshot.at(millis).counter("records", List.of(), (double) (millis - AlertFixture.START))
                .build();
    }

    @Test
    void aRateOverAWindowStaysRightWhenASnapshotTakesThreeSeconds() {
        AtomicBoolean slow = new AtomicBoolean();
        AlertEvaluator evaluator = AlertEvaluator.builder().clock(fixture.clock).snapshots(() -> {
            if (slow.get()) {
                // A stalled host: the snapshot reads the data three seconds after the evaluation began.
                fixture.clock.advance(Duration.ofSeconds(3));
            }
            return counterAt(fixture.clock.epochMillis());
        }).rule(AlertRule.builder("Rate").condition(ThresholdCondition.of("rate(records[5s]) > 0")).build()).build();
        List<Double> rates = new ArrayList<>();
        for (int k = 1; k <= 20; k++) {
            slow.set(k == 8 || k == 9);
            fixture.clock.advance(Duration.ofSeconds(1));
            evaluator.evaluateOnce();
            if (k > 1) {
                rates.add(evaluator.activeAlerts().get(0).value());
            }
        }
        for (double rate : rates) {
            assertEquals(1000.0, rate, 1e-9, () -> "rates read: " + rates);
        }
    }

    @Test
    void anAbsenceRuleReadsTheStalenessAtTheSnapshotsTime() {
        AlertEvaluator evaluator = AlertEvaluator.builder().clock(fixture.clock).snapshots(() -> {
            // A stalled host: the snapshot reads the data three seconds after the evaluation began.
            fixture.clock.advance(Duration.ofSeconds(3));
            // The series stopped updating at START.
            return SyntheticSnapshot.at(fixture.clock.epochMillis()).point("records", MetricType.COUNTER, List.of(),
                    1, AlertFixture.START).build();
        }).rule(AlertRule.builder("Gone").condition(AbsenceCondition.of("records", Duration.ofSeconds(5))).build())
                .build();
        fixture.clock.advance(Duration.ofSeconds(3));
        evaluator.evaluateOnce();
        assertEquals(1, evaluator.activeAlerts().size(), "not updated for 6 s when read, more than 5 s");
        assertEquals(6.0, evaluator.activeAlerts().get(0).value());
        assertEquals(fixture.clock.epochMillis(), evaluator.status().lastEvaluationMillis(),
                "the evaluation happened at its snapshot's time");
    }

    @Test
    void theTickGridTakesTheFirstTickAfterAnOverrunAndCountsThoseItPassed() {
        TickGrid grid = new TickGrid(1_000, 100);
        assertEquals(1_100, grid.first());
        assertEquals(0, grid.advance(1_105), "in time");
        assertEquals(1_200, grid.current());
        assertEquals(0, grid.advance(1_199));
        assertEquals(1_300, grid.current());
        // The evaluation of tick 1,300 ran until 1,620: ticks 1,400, 1,500 and 1,600 passed, the next is 1,700.
        assertEquals(3, grid.advance(1_620));
        assertEquals(1_700, grid.current());
        // Woken a little early: never the same tick twice.
        assertEquals(0, grid.advance(1_650));
        assertEquals(1_800, grid.current());
    }

    @Test
    void afterAStallTheThreadEvaluatesOnceAtTheNextTickNotInABurst() throws InterruptedException {
        List<Long> starts = new CopyOnWriteArrayList<>();
        long[] stallEnd = new long[1];
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).build().start();
             AlertEvaluator evaluator = AlertEvaluator.builder().engine(engine).interval(Duration.ofMillis(100))
                     .snapshots(() -> {
                         starts.add(System.nanoTime());
                         if (starts.size() == 3) {
                             sleep(450);
                             stallEnd[0] = System.nanoTime();
                         }
                         return SyntheticSnapshot.at(System.currentTimeMillis()).build();
                     }).build().start()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (starts.size() < 8 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(starts.size() >= 8, "evaluations: " + starts.size());
            // scheduleAtFixedRate ran the 4 ticks missed during the stall back to back, 1-2 ms apart.
            long within = starts.stream().filter(t -> t > stallEnd[0]
                    && t - stallEnd[0] < TimeUnit.MILLISECONDS.toNanos(50)).count();
            assertTrue(within <= 1, within + " evaluations began within 50 ms after the stall");
            long skipped = evaluator.status().skippedTicks();
            assertTrue(skipped >= 3, "a 450 ms stall passes at least 3 ticks of 100 ms, counted " + skipped);
            assertEquals(skipped, counterLong(engine.snapshot(), "streammetrics_rule_evaluation_ticks_skipped"));
        }
    }

    @Test
    void theLoopShowsItsDurationLastEvaluationAndFailuresFromTheStart() {
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).clock(fixture.clock).build().start();
             AlertEvaluator evaluator = AlertEvaluator.builder().engine(engine)
                     .rule(AlertRule.builder("QueueHigh").condition(ThresholdCondition.of("queue > 10")).build())
                     .build()) {
            MetricsSnapshot before = engine.snapshot();
            assertEquals(0, counterLong(before, "streammetrics_rule_evaluation_failures", "QueueHigh"),
                    "the failure counter exists at 0 before any failure");
            assertEquals(0, counterLong(before, "streammetrics_rule_evaluation_ticks_skipped"));
            assertEquals(0, histogram(before, "streammetrics_rule_evaluation_duration").count());
            assertEquals(0.0, gauge(before, "streammetrics_rule_last_evaluation_timestamp").value());
            for (int i = 0; i < 3; i++) {
                fixture.clock.advance(Duration.ofSeconds(1));
                evaluator.evaluateOnce();
            }
            MetricsSnapshot after = awaitDurations(engine, 3);
            assertEquals(3, histogram(after, "streammetrics_rule_evaluation_duration").count());
            assertEquals(evaluator.status().lastEvaluationMillis() / 1000.0,
                    gauge(after, "streammetrics_rule_last_evaluation_timestamp").value());
            assertEquals(fixture.clock.epochMillis(), evaluator.status().lastEvaluationMillis());
            assertEquals(3, evaluator.status().evaluations());
        }
    }

    private static MetricsSnapshot awaitDurations(MetricsEngine engine, long count) {
        return io.streammetrics.EngineTestSupport.awaitSnapshot(engine, count + " durations recorded",
                snapshot -> histogram(snapshot, "streammetrics_rule_evaluation_duration").count() >= count);
    }

    @Test
    void aStalledEvaluatorFailsItsHealthCheck() throws InterruptedException {
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        try (AlertEvaluator evaluator = AlertEvaluator.builder().clock(fixture.clock).interval(Duration.ofMillis(20))
                .snapshots(() -> {
                    if (calls.incrementAndGet() == 2) {
                        stalled.countDown();
                        await(release);
                    }
                    return SyntheticSnapshot.at(fixture.clock.epochMillis()).build();
                }).build()) {
            EvaluatorCheck check = EvaluatorCheck.of(evaluator);
            assertEquals(HealthStatus.DEGRADED, check.check().status(), "not started");
            evaluator.start();
            assertTrue(stalled.await(10, TimeUnit.SECONDS));
            assertNotEquals(HealthStatus.CRITICAL, check.check().status());
            fixture.clock.advance(Duration.ofSeconds(6));
            HealthCheckResult result = check.check();
            assertEquals(HealthStatus.CRITICAL, result.status(), result.detail());
            assertTrue(result.detail().contains("stalled"), result.detail());
            release.countDown();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (evaluator.status().evaluations() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertNotEquals(HealthStatus.CRITICAL, check.check().status());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
