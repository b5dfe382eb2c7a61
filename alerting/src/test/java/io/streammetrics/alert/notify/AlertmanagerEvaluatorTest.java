package io.streammetrics.alert.notify;

import io.streammetrics.alert.AlertEvaluator;
import io.streammetrics.alert.AlertEvent.Kind;
import io.streammetrics.alert.rule.AlertRule;
import io.streammetrics.alert.expr.LabelMatcher;
import io.streammetrics.alert.rule.ThresholdCondition;
import io.streammetrics.snapshot.SyntheticSnapshot;
import io.streammetrics.testing.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AlertmanagerNotifier} behind a real {@link AlertEvaluator}: what the evaluator dispatches to every notifier
 * but Alertmanager must not get, and the periodic resend following the evaluator's alerts.
 */
class AlertmanagerEvaluatorTest {
    private final TestClock clock = new TestClock(TestAlerts.FIRED_AT);
    private final RecordingServer server = RecordingServer.start();
    private final Map<String, Double> queues = new ConcurrentHashMap<>();
    private final List<AlertEvaluator> evaluators = new ArrayList<>();

    @AfterEach
    void stop() {
        evaluators.forEach(AlertEvaluator::close);
        server.close();
    }

    private AlertmanagerNotifier alertmanager() {
        // The resend runs when the test calls it.
        return AlertmanagerNotifier.builder().alertmanager(server.uri("/")).clock(clock)
                .resendInterval(Duration.ofHours(1)).retryPolicy(RetryPolicy.none()).build();
    }

    private AlertEvaluator evaluator(AlertmanagerNotifier notifier, AlertRule... rules) {
        AlertEvaluator.Builder builder = AlertEvaluator.builder().clock(clock).notifier(notifier).snapshots(() -> {
            SyntheticSnapshot snapshot = SyntheticSnapshot.at(clock.epochMillis());
            queues.forEach((stage, value) -> snapshot.gauge("stream_queue_size", List.of("stage"), value, stage));
            return snapshot.build();
        });
        for (AlertRule rule : rules) {
            builder.rule(rule);
        }
        AlertEvaluator evaluator = builder.build();
        evaluators.add(evaluator);
        return evaluator;
    }

    private static AlertRule queueHigh(Duration forDuration) {
        return AlertRule.builder("QueueHigh").condition(ThresholdCondition.of("stream_queue_size > 100"))
                .forDuration(forDuration).build();
    }

    private void evaluate(AlertEvaluator evaluator) {
        clock.advance(Duration.ofSeconds(1));
        evaluator.evaluateOnce();
    }

    /** Waits (bounded) until the notifier's thread handled {@code count} events. */
    private static void awaitHandled(AlertEvaluator evaluator, long count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (evaluator.notificationStats("alertmanager").sent() < count && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(count, evaluator.notificationStats("alertmanager").sent());
    }

    @Test
    void thePendingNoticeAndTheResolutionOfAnAlertThatNeverFiredReachTheNotifierButAreNotPosted() throws Exception {
        AlertEvaluator evaluator = evaluator(alertmanager(), queueHigh(Duration.ofMinutes(1)));
        queues.put("parse", 150.0);
        evaluate(evaluator);
        queues.put("parse", 0.0);
        evaluate(evaluator);

        assertEquals(List.of(Kind.PENDING, Kind.RESOLVED), evaluator.history().stream().map(e -> e.kind()).toList());
        awaitHandled(evaluator, 2);
        assertEquals(List.of(), server.requests(), "Alertmanager only knows firing alerts");
    }

    @Test
    void theResendSendsTheEvaluatorsFiringAlertsButNotTheSilencedOnes() throws Exception {
        AlertmanagerNotifier notifier = alertmanager();
        AlertEvaluator evaluator = evaluator(notifier, queueHigh(Duration.ZERO));
        queues.putAll(Map.of("parse", 150.0, "load", 150.0));
        evaluate(evaluator);
        awaitHandled(evaluator, 2);
        evaluator.silence(List.of(LabelMatcher.equal("stage", "load")), Duration.ofMinutes(5), "bob", "");
        int before = server.requests().size();

        notifier.resendNow();

        List<RecordingServer.Request> requests = server.requests();
        assertEquals(before + 1, requests.size());
        String resent = requests.get(before).body();
        assertTrue(resent.contains("\"stage\":\"parse\""), resent);
        assertFalse(resent.contains("\"stage\":\"load\""), "silenced after it was sent: not re-sent, " + resent);
    }

    @Test
    void oneNotifierCannotFollowTwoEvaluators() {
        AlertmanagerNotifier notifier = alertmanager();
        evaluator(notifier, queueHigh(Duration.ZERO));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> evaluator(notifier, queueHigh(Duration.ZERO)));
        assertTrue(e.getMessage().contains("registered with an alert evaluator already"), e.getMessage());
    }
}
