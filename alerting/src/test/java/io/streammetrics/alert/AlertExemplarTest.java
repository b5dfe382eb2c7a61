package io.streammetrics.alert;

import io.streammetrics.MetricsEngine;
import io.streammetrics.alert.rule.AlertRule;
import io.streammetrics.alert.rule.ThresholdCondition;
import io.streammetrics.metric.Timer;
import io.streammetrics.testing.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Issue 17, item 4: the alert events of a threshold rule on a histogram carry the exemplar of the worst bucket in
 * the rule's window, so that a page says which trace was slow.
 */
class AlertExemplarTest {
    private static AlertEvent awaitFiring(AlertFixture.Recorder events, String stage) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (AlertEvent e : events.events) {
                if (e.kind() == AlertEvent.Kind.FIRING && stage.equals(e.alert().labels().get("stage"))) {
                    return e;
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no FIRING event for " + stage + ": " + events.kinds());
    }

    @Test
    void aFiringLatencyAlertNamesTheSlowestTraceInItsWindow() {
        TestClock clock = new TestClock(1_700_000_000_000L);
        AlertFixture.Recorder events = new AlertFixture.Recorder("events");
        try (MetricsEngine engine = MetricsEngine.builder().clock(clock).jvmMetrics(false).build().start();
             AlertEvaluator evaluator = AlertEvaluator.builder().engine(engine).clock(clock)
                     .interval(Duration.ofSeconds(1)).notifier(events)
                     .rule(AlertRule.builder("SlowStage")
                             .condition(ThresholdCondition.of("quantile(0.99, stage_latency_seconds[5s]) > 0.1"))
                             .build())
                     .build()) {
            Timer parse = engine.timer("stage_latency").labelNames("stage").register().labels("parse");
            Timer sink = engine.timer("stage_latency").labelNames("stage").register().labels("sink");
            evaluator.evaluateOnce();
            for (int second = 0; second < 3; second++) {
                clock.advance(Duration.ofSeconds(1));
                engine.snapshot();                                   // the aggregator's pass moves the coarse clock
                parse.recordWithExemplar(250_000_000, 0xaa, second, 0x1);          // slow, 250 ms
                parse.recordWithExemplar(1_000_000, 0xbb, second, 0x2);            // same interval: not sampled
                sink.recordWithExemplar(900_000_000, 0xcc, 1, 0x3);                // another stage's trace
                for (int i = 0; i < 50; i++) {
                    parse.record(250_000_000);
                }
                evaluator.evaluateOnce();
            }
            AlertEvent firing = awaitFiring(events, "parse");
            // It fired at the first evaluation with data: the exemplar recorded then.
            assertEquals("00000000000000aa0000000000000000", firing.alert().annotations().get("exemplar_trace_id"),
                    firing.alert().annotations()::toString);
            assertEquals("0000000000000001", firing.alert().annotations().get("exemplar_span_id"));
            assertEquals("0.25", firing.alert().annotations().get("exemplar_value"));
            // Later evaluations follow the newest of the worst: the alert as it stands names the last slow trace.
            Alert now = evaluator.activeAlerts().stream().filter(a -> "parse".equals(a.labels().get("stage")))
                    .findFirst().orElseThrow();
            assertEquals("00000000000000aa0000000000000002", now.annotations().get("exemplar_trace_id"));
            assertFalse(now.annotations().get("exemplar_trace_id").contains("cc"), "not the sink stage's trace");
            Alert sinkAlert = evaluator.activeAlerts().stream().filter(a -> "sink".equals(a.labels().get("stage")))
                    .findFirst().orElseThrow();
            assertEquals("00000000000000cc0000000000000001", sinkAlert.annotations().get("exemplar_trace_id"));
            assertEquals("0.9", sinkAlert.annotations().get("exemplar_value"));
        }
    }
}
