package io.streammetrics.alert;

import io.streammetrics.alert.config.RuleFile;
import io.streammetrics.alert.config.RuleFileException;
import io.streammetrics.alert.expr.EvalContext;
import io.streammetrics.alert.expr.Sample;
import io.streammetrics.alert.rule.AbsenceCondition;
import io.streammetrics.alert.rule.AlertRule;
import io.streammetrics.alert.rule.ErrorState;
import io.streammetrics.alert.rule.NoDataState;
import io.streammetrics.alert.rule.RuleCondition;
import io.streammetrics.alert.rule.RuleGroup;
import io.streammetrics.alert.rule.ThresholdCondition;
import io.streammetrics.snapshot.SyntheticSnapshot;
import io.streammetrics.window.WindowStore;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import static io.streammetrics.alert.AlertFixture.tick;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a rule does when its series vanish (no data) or its evaluation fails, per its policy. */
class NoDataAndErrorStatesTest {
    private final AlertFixture fixture = new AlertFixture();
    private final AtomicBoolean present = new AtomicBoolean(true);

    NoDataAndErrorStatesTest() {
        fixture.snapshots(t -> present.get()
                ? SyntheticSnapshot.at(t).gauge("queue", List.of("stage"), 500, "parse").build()
                : SyntheticSnapshot.at(t).gauge("other", List.of(), 1).build());
    }

    private AlertEvaluator evaluator(AlertRule.Builder rule) {
        return fixture.builder().rule(rule.build()).build();
    }

    private static AlertRule.Builder queueHigh() {
        return AlertRule.builder("QueueHigh").condition(ThresholdCondition.of("queue > 100"))
                .forDuration(Duration.ofSeconds(2)).label("team", "streaming");
    }

    /** "alertname/state" of each active alert, sorted. */
    private static List<String> active(AlertEvaluator evaluator) {
        return evaluator.activeAlerts().stream().map(a -> a.labels().get("alertname") + "/" + a.state().label())
                .sorted().toList();
    }

    @Test
    void byDefaultVanishedSeriesKeepTheAlertFiringAndRaiseNoDataAfterFor() {
        AlertEvaluator evaluator = evaluator(queueHigh());
        tick(fixture, evaluator, 3);
        assertEquals(List.of("QueueHigh/firing"), active(evaluator));
        present.set(false);
        tick(fixture, evaluator, 1);
        assertEquals(List.of("NoData/pending", "QueueHigh/firing"), active(evaluator), "kept, not resolved");
        tick(fixture, evaluator, 2);
        assertEquals(List.of("NoData/firing", "QueueHigh/firing"), active(evaluator));
        Alert noData = evaluator.activeAlerts().stream().filter(a -> a.labels().get("alertname").equals("NoData"))
                .findFirst().orElseThrow();
        assertEquals("QueueHigh", noData.ruleName());
        assertEquals(Map.of("alertname", "NoData", "rulename", "QueueHigh", "team", "streaming",
                "severity", "warning"), noData.labels());
        assertTrue(noData.annotations().get(AlertRule.SUMMARY).contains("no data"), noData.annotations().toString());
        present.set(true);
        tick(fixture, evaluator, 1);
        assertEquals(List.of("QueueHigh/firing"), active(evaluator), "data again: NoData resolves");
        assertTrue(evaluator.history().stream().anyMatch(event -> event.kind() == AlertEvent.Kind.RESOLVED
                && event.alert().labels().get("alertname").equals("NoData")));
    }

    @Test
    void noDataOkResolvesTheAlertsAndRaisesNothing() {
        AlertEvaluator evaluator = evaluator(queueHigh().noDataState(NoDataState.OK));
        tick(fixture, evaluator, 3);
        present.set(false);
        tick(fixture, evaluator, 5);
        assertEquals(List.of(), active(evaluator));
    }

    @Test
    void noDataKeepLastStateKeepsTheAlertsAndRaisesNothing() {
        AlertEvaluator evaluator = evaluator(queueHigh().noDataState(NoDataState.KEEP_LAST_STATE));
        tick(fixture, evaluator, 1);
        assertEquals(List.of("QueueHigh/pending"), active(evaluator));
        present.set(false);
        tick(fixture, evaluator, 5);
        assertEquals(List.of("QueueHigh/pending"), active(evaluator), "pending stays pending: nothing moves");
    }

    @Test
    void noDataAlertingFiresARuleThatNeverHadDataAfterFor() {
        present.set(false);
        AlertEvaluator evaluator = evaluator(queueHigh().noDataState(NoDataState.ALERTING));
        // The first evaluation after a load never counts as no data (a rate would need a second sample).
        tick(fixture, evaluator, 1);
        assertEquals(List.of(), active(evaluator));
        tick(fixture, evaluator, 1);
        assertEquals(List.of("QueueHigh/pending"), active(evaluator));
        tick(fixture, evaluator, 2);
        assertEquals(List.of("QueueHigh/firing"), active(evaluator));
        assertEquals(Map.of("alertname", "QueueHigh", "team", "streaming", "severity", "warning"),
                evaluator.activeAlerts().get(0).labels());
    }

    @Test
    void aRateRuleDoesNotReportNoDataAtItsFirstEvaluationAndAbsenceNeverDoes() {
        fixture.snapshots(t -> SyntheticSnapshot.at(t).counter("records", List.of(), t / 1000.0).build());
        AlertEvaluator evaluator = fixture.builder()
                .rule(AlertRule.builder("Slow").condition(ThresholdCondition.of("rate(records[5s]) < 0.5")).build())
                .rule(AlertRule.builder("Gone").condition(AbsenceCondition.of("missing", Duration.ofSeconds(3)))
                        .build())
                .build();
        tick(fixture, evaluator, 2);
        assertEquals(List.of(), active(evaluator));
        tick(fixture, evaluator, 3);
        assertEquals(List.of("Gone/firing"), active(evaluator));
    }

    /** A condition that throws while {@code failing} is set, and otherwise holds for one series. */
    private static RuleCondition flaky(AtomicBoolean failing) {
        return new RuleCondition() {
            @Override
            public void declareWindows(WindowStore windows) {
            }

            @Override
            public List<Sample> holding(EvalContext context, Predicate<Map<String, String>> active) {
                if (failing.get()) {
                    throw new IllegalStateException("backend unreachable");
                }
                return List.of(new Sample(Map.of("stage", "parse"), 1));
            }
        };
    }

    @Test
    void byDefaultAFailingRuleKeepsItsAlertsAndRaisesEvaluationErrorAfterFor() {
        AtomicBoolean failing = new AtomicBoolean();
        AlertEvaluator evaluator = evaluator(AlertRule.builder("Flaky").condition(flaky(failing))
                .forDuration(Duration.ofSeconds(2)));
        tick(fixture, evaluator, 3);
        assertEquals(List.of("Flaky/firing"), active(evaluator));
        failing.set(true);
        tick(fixture, evaluator, 1);
        assertEquals(List.of("EvaluationError/pending", "Flaky/firing"), active(evaluator));
        tick(fixture, evaluator, 2);
        assertEquals(List.of("EvaluationError/firing", "Flaky/firing"), active(evaluator));
        Alert error = evaluator.activeAlerts().stream()
                .filter(a -> a.labels().get("alertname").equals("EvaluationError")).findFirst().orElseThrow();
        assertTrue(error.annotations().get(AlertRule.SUMMARY).contains("backend unreachable"),
                error.annotations().toString());
        assertEquals(3, evaluator.evaluationFailures("Flaky"));
        failing.set(false);
        tick(fixture, evaluator, 1);
        assertEquals(List.of("Flaky/firing"), active(evaluator), "evaluated again: EvaluationError resolves");
    }

    @Test
    void errorOkResolvesAndErrorAlertingFires() {
        AtomicBoolean failing = new AtomicBoolean();
        AlertEvaluator ok = evaluator(AlertRule.builder("Flaky").condition(flaky(failing))
                .errorState(ErrorState.OK));
        tick(fixture, ok, 1);
        assertEquals(List.of("Flaky/firing"), active(ok));
        failing.set(true);
        tick(fixture, ok, 1);
        assertEquals(List.of(), active(ok));
        AlertEvaluator alerting = evaluator(AlertRule.builder("Flaky").condition(flaky(failing))
                .errorState(ErrorState.ALERTING));
        tick(fixture, alerting, 1);
        assertEquals(List.of("Flaky/firing"), active(alerting), "a rule with no alerts fires one with its labels");
    }

    @Test
    void ruleFilesSetThePoliciesAndNameABadOne() {
        List<RuleGroup> groups = RuleFile.parse(Path.of("rules.yaml"), """
                groups:
                  - name: g
                    rules:
                      - alert: QueueHigh
                        expr: queue > 100
                        no_data_state: ok
                        error_state: keep_last_state
                      - alert: Defaults
                        expr: queue > 100
                """);
        AlertRule configured = groups.get(0).rules().get(0);
        assertEquals(NoDataState.OK, configured.noDataState());
        assertEquals(ErrorState.KEEP_LAST_STATE, configured.errorState());
        AlertRule defaults = groups.get(0).rules().get(1);
        assertEquals(NoDataState.NO_DATA, defaults.noDataState());
        assertEquals(ErrorState.ERROR, defaults.errorState());
        RuleFileException e = assertThrows(RuleFileException.class, () -> RuleFile.parse(Path.of("rules.yaml"), """
                groups:
                  - name: g
                    rules:
                      - alert: QueueHigh
                        expr: queue > 100
                        no_data_state: firing
                """));
        assertEquals(6, e.line());
        assertTrue(e.getMessage().contains("no_data_state") && e.getMessage().contains("keep_last_state"),
                e.getMessage());
    }
}
