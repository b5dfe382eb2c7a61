package io.streammetrics.alert.config;

import io.streammetrics.alert.rule.AbsenceCondition;
import io.streammetrics.alert.AlertEvaluator;
import io.streammetrics.alert.rule.AlertRule;
import io.streammetrics.alert.rule.AnomalyCondition;
import io.streammetrics.alert.rule.BurnRateCondition;
import io.streammetrics.alert.rule.RateOfChangeCondition;
import io.streammetrics.alert.rule.RuleGroup;
import io.streammetrics.alert.rule.Severity;
import io.streammetrics.alert.rule.ThresholdCondition;
import io.streammetrics.alert.rule.TrendCondition;
import io.streammetrics.snapshot.SyntheticSnapshot;
import io.streammetrics.stream.StreamRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rule files: the example loads with every kind; each mistake names the file, the line and the problem. */
class RuleFileTest {
    private static final Path FILE = Path.of("rules.yaml");

    @TempDir
    Path dir;

    @Test
    void theDefaultRulesAndTheExampleFileLoadEveryRuleKind() throws URISyntaxException {
        Path example = Path.of(RuleFileTest.class.getResource("/rules/example-rules.yaml").toURI());
        List<RuleGroup> groups = new java.util.ArrayList<>(StreamRules.defaults());
        groups.addAll(RuleFile.load(example));
        assertEquals(List.of("stream-defaults", "stream-capacity"), groups.stream().map(RuleGroup::name).toList());
        assertNull(groups.get(0).interval());
        assertEquals(Duration.ofSeconds(10), groups.get(1).interval());
        Map<String, AlertRule> rules = new java.util.HashMap<>();
        groups.forEach(group -> group.rules().forEach(rule -> rules.put(rule.name(), rule)));
        assertEquals(12, rules.size());
        AlertRule errors = rules.get("HighErrorRate");
        assertInstanceOf(ThresholdCondition.class, errors.condition());
        assertEquals(60_000, errors.forMillis());
        assertEquals(120_000, errors.keepFiringForMillis());
        assertEquals(Severity.CRITICAL, errors.severity());
        assertEquals(Map.of(), errors.labels());
        assertEquals(120_000, errors.repeatIntervalMillis(), "the seed's 2 min suppression of the error-rate alert");
        assertEquals(300_000, rules.get("LowThroughput").repeatIntervalMillis());
        assertEquals(180_000, rules.get("HighLatency").repeatIntervalMillis());
        assertEquals(Duration.ofMinutes(15), errors.escalation().after());
        assertTrue(errors.escalation().raiseSeverity());
        assertInstanceOf(AnomalyCondition.class, rules.get("ThroughputAnomaly").condition());
        assertInstanceOf(RateOfChangeCondition.class, rules.get("ThroughputHalved").condition());
        assertInstanceOf(TrendCondition.class, rules.get("QueueFullSoon").condition());
        assertInstanceOf(AbsenceCondition.class, rules.get("StageDead").condition());
        assertInstanceOf(BurnRateCondition.class, rules.get("ParseLatencySlo").condition());
        assertInstanceOf(BurnRateCondition.class, rules.get("ErrorBudgetBurn").condition());
    }

    @Test
    void aMissingResourceIsReportedByName() {
        RuleFileException e = assertThrows(RuleFileException.class,
                () -> RuleFile.loadResource(RuleFileTest.class, "/rules/no-such-rules.yaml"));
        assertEquals(Path.of("rules/no-such-rules.yaml"), e.file());
        assertTrue(e.getMessage().contains("not found on the class path"), e.getMessage());
    }

    /** A file of one group holding rule {@code A} with these fields, one a line from line 5 (nested ones indented). */
    private static String oneRule(String... fields) {
        StringBuilder yaml = new StringBuilder("groups:\n  - name: g\n    rules:\n      - alert: A\n");
        for (String field : fields) {
            yaml.append("        ").append(field).append('\n');
        }
        return yaml.toString();
    }

    private static RuleFileException error(String yaml) {
        return assertThrows(RuleFileException.class, () -> RuleFile.parse(FILE, yaml));
    }

    private static void assertError(RuleFileException e, int line, String... fragments) {
        assertEquals(FILE, e.file());
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith("rules.yaml:" + line + ": "), e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "'" + fragment + "' missing from: " + e.getMessage());
        }
    }

    @Test
    void aBadExpressionIsReportedAtItsLine() {
        assertError(error("""
                groups:
                  - name: g
                    rules:
                      - alert: A
                        expr: rate(x_total[1m]) > 1
                      - alert: B
                        expr: rate(x_total[1m) > 1
                """), 7, "'expr'", "missing ]");
    }

    @Test
    void aMisspeltFieldIsNamed() {
        assertError(error(oneRule("expr: x > 1", "fro: 5m")), 6, "unknown field 'fro'");
    }

    @Test
    void aRuleWithoutOrWithTwoKindsIsRejected() {
        assertError(error(oneRule("for: 5m")), 4, "rule 'A' needs exactly one of");
        assertError(error(oneRule("expr: x > 1", "absent: {series: x, after: 1m}")), 4, "[expr, absent]");
    }

    @Test
    void badValuesAreReportedWithTheRule() {
        assertError(error(oneRule("expr: x > 1", "for: 5 minutes")), 6, "invalid duration '5 minutes'");
        assertError(error(oneRule("expr: x > 1", "labels: {severity: urgent}")), 6,
                "'severity' of 'labels' of rule 'A'", "unknown severity 'urgent'");
        assertError(error(oneRule("expr: x")), 5, "needs a comparison");
        assertError(error(oneRule("trend:", "  expr: last(queue", "  window: 10m", "  horizon: 5m", "  predict: '> 1'")),
                6, "'expr' of 'trend' of rule", "expected ')'");
        assertError(error(oneRule("rate_of_change: {expr: x, window: 5m, change: 'down by half'}")), 5,
                "'change'", "expected a comparison and a number");
        assertError(error(oneRule("expr: x > 1", "annotations:", "  summary: \"{{labels.stage}} at {{valeu}}\"")), 7,
                "'summary' of 'annotations' of rule 'A'", "unknown placeholder {{valeu}}");
        assertError(error(oneRule("slo: {objective: 0.999, good: a_total, total: b_total,",
                "      windows: [{long: 5m, short: 1h, burn_rate: 14.4}]}")), 6, "'short' of window 1 of 'slo' of rule 'A' (1h)",
                "shorter than 'long' (5m)");
    }

    /** Issue 15 item 8: the same checked duration arithmetic in {@code for:}, windows and ranges. */
    @Test
    void aDurationThatWouldOverflowIsALoadErrorAtItsLine() {
        assertError(error(oneRule("expr: x > 1", "for: 18446744073709552s")), 6,
                "'for'", "'18446744073709552s' is too long");
        assertError(error(oneRule("absent: {series: x, after: 18446744073709552s}")), 5,
                "'after'", "is too long");
        assertError(error(oneRule("expr: rate(x[18446744073709552s]) > 1")), 5, "'expr'", "is too long");
    }

    /** Issue 15 item 8: YAML forbids duplicate keys; "last wins" silently dropped half of an edit. */
    @Test
    void aDuplicateKeyIsALoadErrorNamingBothLines() {
        assertError(error(oneRule("expr: x > 1", "for: 5m", "for: 10m")), 7,
                "duplicate key 'for' in rule 'A' (first at line 6)");
        assertError(error(oneRule("expr: x > 1", "labels: {severity: critical, severity: info}")), 6,
                "duplicate key 'severity' in 'labels' of rule 'A'");
        assertError(error("groups:\n  - name: g\n    rules: []\ngroups: []\n"), 4, "duplicate key 'groups'");
    }

    /** Issue 15 item 8: a threshold of NaN never holds, so the rule could never fire. */
    @Test
    void aNonFiniteThresholdIsALoadErrorAtItsLine() {
        assertError(error(oneRule("expr: x > NaN")), 5, "'expr' of rule 'A'", "expected a finite number, got 'NaN'");
        assertError(error(oneRule("expr: x < -Infinity")), 5, "expected a finite number, got '-Infinity'");
        assertError(error(oneRule("expr: x > 1e999")), 5, "'1e999' (too large)");
        assertError(error(oneRule("expr: x > 5d")), 5, "expected a number, got '5d'");
        assertError(error(oneRule("expr: x > 1", "resolve: NaN")), 6, "'resolve'", "expected a finite number");
        assertError(error(oneRule("anomaly: {expr: x, threshold: .inf}")), 5, "'threshold'", "finite number");
        assertError(error(oneRule("rate_of_change: {expr: x, window: 5m, change: '< NaN'}")), 5, "'change'",
                "finite number");
        assertError(error(oneRule("expr: quantile(NaN, h[1m]) > 1")), 5, "finite number");
    }

    @Test
    void invalidYamlAndDuplicateNamesAreReported() {
        assertError(error(oneRule("expr: [x > 1")), 6, "invalid YAML");
        assertError(error("""
                groups:
                  - name: g
                    rules:
                      - alert: A
                        expr: x > 1
                  - name: h
                    rules:
                      - alert: A
                        expr: x > 2
                """), 8, "duplicate alert rule name 'A'");
    }

    @Test
    void aBadReloadKeepsTheOldRulesAndReportsTheError() throws IOException {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, """
                groups:
                  - name: g
                    rules:
                      - alert: QueueHigh
                        expr: queue > 10
                """);
        AlertEvaluator evaluator = AlertEvaluator.builder()
                .snapshots(() -> SyntheticSnapshot.at(0).gauge("queue", List.of(), 50).build())
                .ruleFile(file).build();
        Files.writeString(file, """
                groups:
                  - name: g
                    rules:
                      - alert: QueueHigh
                        expr: queue >
                """);
        RuleFileException e = assertThrows(RuleFileException.class, () -> evaluator.loadRuleFile(file));
        assertEquals(file, e.file());
        assertEquals(5, e.line());
        assertEquals(e, evaluator.lastLoadError());
        assertEquals(List.of("QueueHigh"), evaluator.ruleGroups().get(0).rules().stream().map(AlertRule::name).toList());
        evaluator.evaluateOnce();
        assertEquals(1, evaluator.activeAlerts().size(), "the old rule still evaluates");

        Files.writeString(file, """
                groups:
                  - name: g
                    rules:
                      - alert: QueueVeryHigh
                        expr: queue > 40
                """);
        evaluator.loadRuleFile(file);
        assertNull(evaluator.lastLoadError());
        evaluator.evaluateOnce();
        assertEquals("QueueVeryHigh", evaluator.activeAlerts().get(0).ruleName());
    }
}
