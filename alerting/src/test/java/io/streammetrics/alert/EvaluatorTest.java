package io.streammetrics.alert;

import io.streammetrics.alert.rule.AlertRule;
import io.streammetrics.alert.rule.RuleGroup;
import io.streammetrics.alert.rule.ThresholdCondition;
import io.streammetrics.common.EngineClock;
import io.streammetrics.snapshot.SyntheticSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.streammetrics.alert.AlertEvent.Kind.FIRING;
import static io.streammetrics.alert.AlertEvent.Kind.PENDING;
import static io.streammetrics.alert.AlertFixture.historyKinds;
import static io.streammetrics.alert.AlertFixture.tick;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The evaluator's thread, group intervals, rule replacement and the bounded history. */
class EvaluatorTest {
    private final AlertFixture fixture = new AlertFixture();

    EvaluatorTest() {
        fixture.snapshots(t -> SyntheticSnapshot.at(t).gauge("queue", List.of(), 500).build());
    }

    private static AlertRule rule(String name, String expr, Duration forDuration) {
        return AlertRule.builder(name).condition(ThresholdCondition.of(expr)).forDuration(forDuration).build();
    }

    @Test
    void startedItEvaluatesOnItsOwnThreadEveryInterval() throws InterruptedException {
        AtomicInteger snapshots = new AtomicInteger();
        try (AlertEvaluator evaluator = AlertEvaluator.builder().clock(EngineClock.SYSTEM).interval(Duration.ofMillis(10))
                .snapshots(() -> {
                    snapshots.incrementAndGet();
                    return SyntheticSnapshot.at(System.currentTimeMillis()).gauge("queue", List.of(), 500).build();
                })
                .rule(rule("QueueHigh", "queue > 100", Duration.ZERO)).build().start()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (snapshots.get() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(snapshots.get() >= 5, "evaluations: " + snapshots.get());
            assertEquals(1, evaluator.activeAlerts().size());
        }
    }

    @Test
    void aGroupWithALongerIntervalIsEvaluatedLessOften() {
        AlertEvaluator evaluator = fixture.builder()
                .ruleGroup(new RuleGroup("slow", Duration.ofSeconds(5), List.of(rule("Slow", "queue > 100", Duration.ofSeconds(5)))))
                .rule(rule("Fast", "queue > 100", Duration.ofSeconds(5))).build();
        tick(fixture, evaluator, 1);
        tick(fixture, evaluator, 5);
        List<String> firing = evaluator.activeAlerts().stream().filter(a -> a.state() == AlertState.FIRING)
                .map(Alert::ruleName).sorted().toList();
        assertEquals(List.of("Fast", "Slow"), firing, "both see 5 s of pending at t = 6");
        assertEquals(AlertFixture.START + 1000, evaluator.activeAlerts().stream()
                .filter(a -> a.ruleName().equals("Slow")).findFirst().orElseThrow().activeAtMillis());
        assertEquals(AlertFixture.START + 6000, evaluator.activeAlerts().stream()
                .filter(a -> a.ruleName().equals("Slow")).findFirst().orElseThrow().lastEvaluatedMillis());
        tick(fixture, evaluator, 4);
        assertEquals(AlertFixture.START + 6000, evaluator.activeAlerts().stream()
                .filter(a -> a.ruleName().equals("Slow")).findFirst().orElseThrow().lastEvaluatedMillis(),
                "not evaluated again within 5 s");
        assertThrows(IllegalArgumentException.class, () -> fixture.builder().interval(Duration.ofSeconds(2))
                .ruleGroup(new RuleGroup("g", Duration.ofSeconds(1), List.of())).build());
    }

    @Test
    void replacingRulesKeepsTheStateOfRulesThatKeepTheirName() {
        AlertEvaluator evaluator = fixture.builder().rule(rule("QueueHigh", "queue > 100", Duration.ofSeconds(10))).build();
        tick(fixture, evaluator, 6);
        String id = evaluator.activeAlerts().get(0).id();
        evaluator.setRules(List.of(new RuleGroup("g", null, List.of(rule("QueueHigh", "queue > 200", Duration.ofSeconds(10))))));
        tick(fixture, evaluator, 4);
        assertEquals(List.of(PENDING), historyKinds(evaluator), "still the pending alert of before the reload");
        tick(fixture, evaluator, 1);
        assertEquals(List.of(PENDING, FIRING), historyKinds(evaluator));
        assertEquals(id, evaluator.activeAlerts().get(0).id());
        assertThrows(IllegalArgumentException.class, () -> evaluator.setRules(List.of(new RuleGroup("g", null,
                List.of(rule("A", "queue > 1", Duration.ZERO), rule("A", "queue > 2", Duration.ZERO))))));
        assertEquals("QueueHigh", evaluator.ruleGroups().get(0).rules().get(0).name(), "a bad replacement changes nothing");
    }

    @Test
    void theHistoryKeepsTheMostRecentEvents() {
        AlertEvaluator evaluator = fixture.builder().historySize(3).rule(rule("QueueHigh", "queue > 100", Duration.ZERO))
                .rule(rule("QueueHigher", "queue > 200", Duration.ofSeconds(1))).build();
        tick(fixture, evaluator, 2);
        assertEquals(3, evaluator.history().size());
        assertEquals(List.of(FIRING, PENDING, FIRING), historyKinds(evaluator));
        fixture.snapshots(t -> SyntheticSnapshot.at(t).gauge("queue", List.of(), 0).build());
        tick(fixture, evaluator, 1);
        assertEquals(3, evaluator.history().size());
        assertEquals("QueueHigher", evaluator.history().get(2).alert().ruleName());
    }
}
