package io.streammetrics.alert;

import io.streammetrics.alert.expr.LabelMatcher;
import io.streammetrics.alert.rule.AlertRule;
import io.streammetrics.alert.rule.Escalation;
import io.streammetrics.alert.rule.Severity;
import io.streammetrics.alert.rule.ThresholdCondition;
import io.streammetrics.health.HealthMonitor;
import io.streammetrics.health.HealthStatus;
import io.streammetrics.snapshot.SyntheticSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import static io.streammetrics.alert.AlertFixture.tick;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the evaluator gives the notifiers it owns besides events: the firing alerts it has for each
 * ({@link AlertEvaluator#firingAlerts(String)}, handed over by {@link AlertNotifier#registered}), closing them with
 * itself, and its active alerts as a health monitor's source.
 */
class NotifierWiringTest {
    private final AlertFixture fixture = new AlertFixture();
    private final Map<String, Double> queues = new ConcurrentHashMap<>(Map.of("parse", 0.0, "load", 0.0, "emit", 0.0));

    NotifierWiringTest() {
        fixture.snapshots(t -> {
            SyntheticSnapshot snapshot = SyntheticSnapshot.at(t);
            queues.forEach((stage, value) -> snapshot.gauge("stream_queue_size", List.of("stage"), value, stage));
            return snapshot.build();
        });
    }

    /** A notifier that keeps what the evaluator registered with it and whether it was closed. */
    private static final class Owned extends AlertFixture.Recorder implements AutoCloseable {
        private final RuntimeException failOnClose;
        volatile Supplier<List<Alert>> firing;
        volatile boolean closed;

        Owned(String name, RuntimeException failOnClose) {
            super(name);
            this.failOnClose = failOnClose;
        }

        @Override
        public void registered(Supplier<List<Alert>> firingAlerts) {
            this.firing = firingAlerts;
        }

        @Override
        public void close() {
            closed = true;
            if (failOnClose != null) {
                throw failOnClose;
            }
        }
    }

    private static AlertRule.Builder queue(String name, String expr) {
        return AlertRule.builder(name).condition(ThresholdCondition.of(expr)).severity(Severity.CRITICAL);
    }

    private static List<String> stages(List<Alert> alerts) {
        List<String> stages = new ArrayList<>();
        alerts.forEach(alert -> stages.add(alert.ruleName() + "/" + alert.labels().get("stage")));
        stages.sort(null);
        return stages;
    }

    @Test
    void firingAlertsAreTheFiringOnesRoutedToTheNotifierAndNotSilenced() {
        Owned alertmanager = new Owned("alertmanager", null);
        Owned pager = new Owned("pager", null);
        try (AlertEvaluator evaluator = fixture.builder().notifier(alertmanager).escalationNotifier(pager)
                .rule(queue("QueueHigh", "stream_queue_size > 100")
                        .escalation(new Escalation(Duration.ofSeconds(30), false, "pager")).build())
                .rule(queue("QueueSlow", "stream_queue_size > 100").forDuration(Duration.ofMinutes(5)).build())
                .rule(queue("QueuePaged", "stream_queue_size > 1000").notifiers("pager").build()).build()) {
            queues.putAll(Map.of("parse", 150.0, "load", 150.0, "emit", 2000.0));
            evaluator.silence(List.of(LabelMatcher.equal("stage", "load")), Duration.ofMinutes(10), "bob", "");
            tick(fixture, evaluator, 1);

            // QueueSlow is pending, QueuePaged routed to the pager only, load silenced.
            assertEquals(List.of("QueueHigh/emit", "QueueHigh/parse"), stages(evaluator.firingAlerts("alertmanager")));
            assertEquals(List.of("QueuePaged/emit"), stages(evaluator.firingAlerts("pager")));
            assertEquals(stages(evaluator.firingAlerts("alertmanager")), stages(alertmanager.firing.get()),
                    "the evaluator registered its firing alerts with the notifier");

            String parse = evaluator.firingAlerts("alertmanager").stream()
                    .filter(alert -> alert.labels().get("stage").equals("parse")).findFirst().orElseThrow().id();
            assertTrue(evaluator.acknowledge(parse, "alice"));
            tick(fixture, evaluator, 30);
            assertEquals(List.of("QueueHigh/emit", "QueueHigh/parse"), stages(evaluator.firingAlerts("alertmanager")),
                    "acknowledged alerts still fire");
            assertEquals(List.of("QueueHigh/emit", "QueuePaged/emit"), stages(evaluator.firingAlerts("pager")),
                    "the unacknowledged one escalated to the pager");

            evaluator.expireSilence(evaluator.silences().get(0).id());
            assertEquals(List.of("QueueHigh/emit", "QueueHigh/load", "QueueHigh/parse"),
                    stages(evaluator.firingAlerts("alertmanager")), "the silence ended");
            assertThrows(IllegalArgumentException.class, () -> evaluator.firingAlerts("nobody"));
        }
    }

    @Test
    void closingTheEvaluatorClosesItsCloseableNotifiersEvenWhenOneFailsToClose() {
        Owned failing = new Owned("failing", new IllegalStateException("cannot close"));
        Owned other = new Owned("other", null);
        AlertEvaluator evaluator = fixture.builder().notifier(failing).notifier(other)
                .rule(queue("QueueHigh", "stream_queue_size > 100").build()).build();
        assertNotNull(failing.firing, "registered at build");

        evaluator.close();

        assertTrue(failing.closed);
        assertTrue(other.closed, "closed although the notifier before it threw");
    }

    @Test
    void aNotifierOfAnEvaluatorThatFailsToBuildIsNeitherRegisteredNorClosed() {
        Owned notifier = new Owned("n", null);
        assertThrows(IllegalArgumentException.class, () -> fixture.builder().notifier(notifier)
                .rule(queue("QueueHigh", "stream_queue_size > 100").notifiers("unknown").build()).build());
        assertEquals(null, notifier.firing);
        assertEquals(false, notifier.closed, "the caller still owns it");
    }

    @Test
    void aHealthMonitorTakesTheEvaluatorsActiveAlertsAsTheyAre() {
        try (AlertEvaluator evaluator = fixture.builder().rule(queue("QueueHigh", "stream_queue_size > 100").build())
                .build();
             HealthMonitor health = HealthMonitor.builder().clock(fixture.clock).cacheTtl(Duration.ZERO)
                     .alerts(evaluator::activeAlerts).build()) {
            tick(fixture, evaluator, 1);
            assertEquals(HealthStatus.HEALTHY, health.report().status());

            queues.put("parse", 150.0);
            fixture.clock.advance(Duration.ofSeconds(1));
            evaluator.evaluateOnce();

            assertEquals(HealthStatus.CRITICAL, health.report().status());
            assertEquals(1, health.report().firingAlerts().get(Severity.CRITICAL));
        }
    }
}
