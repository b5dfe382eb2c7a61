package io.streammetrics.alert;

import io.streammetrics.alert.rule.AlertRule;
import io.streammetrics.alert.rule.Severity;
import io.streammetrics.alert.rule.ThresholdCondition;
import io.streammetrics.snapshot.SyntheticSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.streammetrics.alert.AlertEvent.Kind.FIRING;
import static io.streammetrics.alert.AlertEvent.Kind.PENDING;
import static io.streammetrics.alert.AlertEvent.Kind.RESOLVED;
import static io.streammetrics.alert.AlertFixture.historyKinds;
import static io.streammetrics.alert.AlertFixture.tick;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Threshold rules through the lifecycle: for, keep_firing_for, hysteresis, identity, labels and templates. */
class AlertLifecycleTest {
    private final AlertFixture fixture = new AlertFixture();
    /** Queue size per stage, as the test sets it before each evaluation. */
    private final Map<String, Double> queue = new ConcurrentHashMap<>(Map.of("parse", 0.0, "enrich", 0.0));

    AlertLifecycleTest() {
        fixture.snapshots(t -> {
            SyntheticSnapshot snapshot = SyntheticSnapshot.at(t);
            queue.forEach((stage, size) -> snapshot.gauge("stream_queue_size", List.of("stage"), size, stage));
            return snapshot.build();
        });
    }

    private AlertEvaluator evaluator(AlertRule rule) {
        return fixture.builder().rule(rule).build();
    }

    @Test
    void withoutForFiresAtTheFirstEvaluationThatHoldsAndResolvesAtTheFirstThatDoesNot() {
        AlertEvaluator evaluator = evaluator(AlertRule.builder("QueueHigh")
                .condition(ThresholdCondition.of("stream_queue_size > 100")).build());
        tick(fixture, evaluator, 2);
        assertEquals(List.of(), evaluator.activeAlerts());
        queue.put("parse", 150.0);
        tick(fixture, evaluator, 1);
        assertEquals(List.of(FIRING), historyKinds(evaluator));
        Alert alert = evaluator.activeAlerts().get(0);
        assertEquals(AlertState.FIRING, alert.state());
        assertEquals("parse", alert.labels().get("stage"));
        assertEquals("QueueHigh", alert.labels().get("alertname"));
        assertEquals(150.0, alert.value());
        queue.put("parse", 50.0);
        tick(fixture, evaluator, 1);
        assertEquals(List.of(FIRING, RESOLVED), historyKinds(evaluator));
        Alert resolved = evaluator.history().get(1).alert();
        assertEquals(AlertState.RESOLVED, resolved.state());
        assertEquals(alert.id(), resolved.id());
        assertEquals(fixture.clock.epochMillis(), resolved.resolvedAtMillis());
        assertEquals(List.of(), evaluator.activeAlerts());
    }

    @Test
    void forKeepsTheAlertPendingUntilTheConditionHeldLongEnough() {
        AlertEvaluator evaluator = evaluator(AlertRule.builder("QueueHigh")
                .condition(ThresholdCondition.of("stream_queue_size > 100")).forDuration(Duration.ofSeconds(5)).build());
        queue.put("parse", 150.0);
        tick(fixture, evaluator, 1);
        long activeAt = fixture.clock.epochMillis();
        assertEquals(List.of(PENDING), historyKinds(evaluator));
        tick(fixture, evaluator, 4);
        assertEquals(AlertState.PENDING, evaluator.activeAlerts().get(0).state(), "4 s after, not yet 5");
        tick(fixture, evaluator, 1);
        assertEquals(List.of(PENDING, FIRING), historyKinds(evaluator));
        Alert firing = evaluator.activeAlerts().get(0);
        assertEquals(activeAt, firing.activeAtMillis());
        assertEquals(activeAt + 5000, firing.firedAtMillis());
    }

    @Test
    void aPendingAlertWhoseConditionStopsHoldingNeverFires() {
        AlertEvaluator evaluator = evaluator(AlertRule.builder("QueueHigh")
                .condition(ThresholdCondition.of("stream_queue_size > 100")).forDuration(Duration.ofSeconds(5)).build());
        queue.put("parse", 150.0);
        tick(fixture, evaluator, 3);
        queue.put("parse", 10.0);
        tick(fixture, evaluator, 1);
        queue.put("parse", 150.0);
        tick(fixture, evaluator, 4);
        // The second episode starts its own for-period: 4 s in, still pending.
        assertEquals(List.of(PENDING, RESOLVED, PENDING), historyKinds(evaluator));
        assertEquals(AlertState.INACTIVE, evaluator.history().get(1).alert().state());
        assertEquals(0, evaluator.history().get(1).alert().firedAtMillis());
    }

    @Test
    void keepFiringForBridgesShortGapsAndResolvesAfterIt() {
        AlertEvaluator evaluator = evaluator(AlertRule.builder("QueueHigh")
                .condition(ThresholdCondition.of("stream_queue_size > 100")).keepFiringFor(Duration.ofSeconds(3)).build());
        queue.put("parse", 150.0);
        tick(fixture, evaluator, 1);
        queue.put("parse", 10.0);
        tick(fixture, evaluator, 2);
        assertEquals(List.of(FIRING), historyKinds(evaluator), "2 s below: still within keep_firing_for");
        queue.put("parse", 150.0);
        tick(fixture, evaluator, 1);
        queue.put("parse", 10.0);
        tick(fixture, evaluator, 2);
        assertEquals(List.of(FIRING), historyKinds(evaluator));
        tick(fixture, evaluator, 1);
        assertEquals(List.of(FIRING, RESOLVED), historyKinds(evaluator), "3 s after the condition last held");
    }

    @Test
    void hysteresisHoldsUntilTheResolveThreshold() {
        AlertEvaluator evaluator = evaluator(AlertRule.builder("QueueHigh")
                .condition(ThresholdCondition.of("stream_queue_size > 100").resolveAt(80)).build());
        queue.put("parse", 90.0);
        tick(fixture, evaluator, 1);
        assertEquals(List.of(), historyKinds(evaluator), "90 is below the firing threshold");
        queue.put("parse", 101.0);
        tick(fixture, evaluator, 1);
        queue.put("parse", 90.0);
        tick(fixture, evaluator, 1);
        assertEquals(List.of(FIRING), historyKinds(evaluator), "90 is above the resolve threshold");
        queue.put("parse", 80.0);
        tick(fixture, evaluator, 1);
        assertEquals(List.of(FIRING, RESOLVED), historyKinds(evaluator));
    }

    @Test
    void anAlertKeepsItsIdAcrossEvaluationsAndEpisodesAndEachLabelSetIsItsOwnAlert() {
        AlertEvaluator evaluator = evaluator(AlertRule.builder("QueueHigh")
                .condition(ThresholdCondition.of("stream_queue_size > 100")).forDuration(Duration.ofSeconds(2))
                .label("team", "streaming").build());
        queue.put("parse", 150.0);
        queue.put("enrich", 150.0);
        tick(fixture, evaluator, 3);
        queue.put("parse", 0.0);
        queue.put("enrich", 0.0);
        tick(fixture, evaluator, 1);
        queue.put("parse", 150.0);
        tick(fixture, evaluator, 1);
        Map<String, String> ids = new ConcurrentHashMap<>();
        for (AlertEvent event : evaluator.history()) {
            String stage = event.alert().labels().get("stage");
            assertEquals("streaming", event.alert().labels().get("team"));
            String previous = ids.putIfAbsent(stage, event.alert().id());
            assertTrue(previous == null || previous.equals(event.alert().id()), "one id per label set: " + event);
        }
        assertEquals(2, ids.size());
        assertTrue(!ids.get("parse").equals(ids.get("enrich")));
        assertEquals(7, evaluator.history().size(), "2x pending, 2x firing, 2x resolved, pending again");
    }

    @Test
    void aggregatesAcrossALabelOrPerSeries() {
        AlertEvaluator evaluator = evaluator(AlertRule.builder("QueueTotalHigh")
                .condition(ThresholdCondition.of("sum(stream_queue_size) > 100")).build());
        queue.put("parse", 60.0);
        queue.put("enrich", 60.0);
        tick(fixture, evaluator, 1);
        assertEquals(1, evaluator.activeAlerts().size());
        assertEquals(120.0, evaluator.activeAlerts().get(0).value());
        assertEquals(Map.of("alertname", "QueueTotalHigh", "severity", "warning"), evaluator.activeAlerts().get(0).labels());
    }

    @Test
    void annotationsAreRenderedFromLabelsAndValue() {
        AlertEvaluator evaluator = evaluator(AlertRule.builder("QueueHigh")
                .condition(ThresholdCondition.of("stream_queue_size > 100")).severity(Severity.CRITICAL)
                .summary("Queue of {{labels.stage}} at {{value}}")
                .description("{{ $labels.stage }} holds {{ $value }} records")
                .runbook("https://runbooks.example.com/{{labels.stage}}").build());
        queue.put("parse", 150.5);
        tick(fixture, evaluator, 1);
        Alert alert = evaluator.activeAlerts().get(0);
        assertEquals("Queue of parse at 150.5", alert.annotations().get("summary"));
        assertEquals("parse holds 150.5 records", alert.annotations().get("description"));
        assertEquals("https://runbooks.example.com/parse", alert.annotations().get("runbook_url"));
        assertEquals(Severity.CRITICAL, alert.severity());
        assertEquals("critical", alert.labels().get("severity"));
    }
}
