package io.streammetrics.alert.config;

import io.streammetrics.alert.AlertEvaluator;
import io.streammetrics.alert.rule.AlertRule;
import io.streammetrics.alert.rule.BurnWindow;
import io.streammetrics.alert.rule.RuleGroup;
import io.streammetrics.alert.rule.Severity;
import io.streammetrics.alert.rule.ThresholdCondition;
import io.streammetrics.snapshot.SyntheticSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18 item 5: every load error names the file, the line, the rule and the field, in the file's own units, and
 * says what is wrong (a missing value is "missing", not NaN).
 */
class RuleFileMessagesTest {
    private static final Path FILE = Path.of("rules.yaml");

    @TempDir
    Path dir;

    /** A file of one group holding rule {@code A} with these fields, one a line from line 5. */
    private static String oneRule(String... fields) {
        StringBuilder yaml = new StringBuilder("groups:\n  - name: g\n    rules:\n      - alert: A\n");
        for (String field : fields) {
            yaml.append("        ").append(field).append('\n');
        }
        return yaml.toString();
    }

    private static String message(String yaml) {
        return assertThrows(RuleFileException.class, () -> RuleFile.parse(FILE, yaml)).getMessage();
    }

    private static void assertContains(String message, String... fragments) {
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), () -> "'" + fragment + "' missing from: " + message);
        }
    }

    @Test
    void aMissingBurnRateIsNamedAsMissing() {
        String message = message(oneRule("slo:", "  objective: 99.9%", "  good: a_total", "  total: b_total",
                "  windows:", "    - {long: 1h, short: 5m, severity: critical}"));
        assertTrue(message.startsWith("rules.yaml:10: "), message);
        assertContains(message, "window 1 of 'slo' of rule 'A' needs 'burn_rate'");
        assertFalse(message.contains("NaN"), message);
    }

    @Test
    void aBurnWindowNotShorterThanItsLongWindowIsInTheFilesUnits() {
        String message = message(oneRule("slo:", "  objective: 99.9%", "  good: a_total", "  total: b_total",
                "  windows:", "    - {long: 5s, short: 30s, burn_rate: 14.4}"));
        assertTrue(message.startsWith("rules.yaml:10: "), message);
        assertContains(message, "'short' of window 1 of 'slo' of rule 'A' (30s) must be shorter than 'long' (5s)");
        assertFalse(message.contains("PT"), message);
    }

    @Test
    void aMissingHorizonAndABadExpressionNameTheRule() {
        assertContains(message(oneRule("trend: {expr: last(q), window: 10m, predict: '> 1'}")),
                "rules.yaml:5: ", "'trend' of rule 'A' needs 'horizon'");
        assertContains(message(oneRule("trend: {expr: 'last(q', window: 10m, horizon: 5m, predict: '> 1'}")),
                "rules.yaml:5: ", "'expr' of 'trend' of rule 'A': invalid expression 'last(q'");
        assertContains(message(oneRule("expr: rate(x[1m) > 1")), "rules.yaml:5: ", "'expr' of rule 'A'", "missing ]");
    }

    @Test
    void programmaticSettingsAreNamedInPrometheusUnitsToo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BurnWindow(
                Duration.ofSeconds(5), Duration.ofSeconds(30), 14.4, Severity.CRITICAL));
        assertContains(e.getMessage(), "(30s)", "(5s)");
        assertContains(assertThrows(IllegalArgumentException.class,
                () -> new RuleGroup("g", Duration.ofMillis(-1500), List.of())).getMessage(), "got -1s500ms");
    }

    /** Each broken field, one a row: the message has the file and line, the rule, and the field. */
    @Test
    void everyLoadErrorNamesTheLineTheRuleAndTheField() {
        Map<List<String>, String> cases = new LinkedHashMap<>();
        cases.put(List.of("expr: x >"), "'expr'");
        cases.put(List.of("expr: x > 1", "resolve: 2"), "'resolve'");
        cases.put(List.of("expr: x > 1", "for: soon"), "'for'");
        cases.put(List.of("expr: x > 1", "keep_firing_for: 5 min"), "'keep_firing_for'");
        cases.put(List.of("expr: x > 1", "repeat_interval: 1.5h"), "'repeat_interval'");
        cases.put(List.of("expr: x > 1", "labels: {severity: urgent}"), "'severity'");
        cases.put(List.of("expr: x > 1", "labels: {9lives: x}"), "'9lives'");
        cases.put(List.of("expr: x > 1", "annotations: {summary: '{{valeu}}'}"), "'summary'");
        cases.put(List.of("expr: x > 1", "escalate: {after: 0s, raise_severity: true}"), "'after'");
        cases.put(List.of("expr: x > 1", "escalate: {after: 5m}"), "raise_severity");
        cases.put(List.of("anomaly: {expr: x, baseline: 1}"), "'baseline'");
        cases.put(List.of("anomaly: {expr: x, baseline: 10, min_history: 20}"), "'min_history'");
        cases.put(List.of("anomaly: {expr: x, threshold: -1}"), "'threshold'");
        cases.put(List.of("anomaly: {expr: x, direction: sideways}"), "'direction'");
        cases.put(List.of("rate_of_change: {expr: x, window: 0s, change: '< -50'}"), "'window'");
        cases.put(List.of("rate_of_change: {expr: x, window: 5m, change: 'half'}"), "'change'");
        cases.put(List.of("trend: {expr: x, window: 10m, horizon: 5m, predict: '>'}"), "'predict'");
        cases.put(List.of("absent: {series: x, after: 0s}"), "'after'");
        cases.put(List.of("absent: {series: 'x{', after: 1m}"), "'series'");
        cases.put(List.of("slo: {good: a, total: b}"), "'objective'");
        cases.put(List.of("slo: {objective: 1.5, good: a, total: b}"), "'objective'");
        cases.put(List.of("slo: {objective: 0.99, good: a}"), "'total'");
        cases.put(List.of("slo: {objective: 0.99}"), "'latency'");
        cases.put(List.of("slo: {objective: 0.99, latency: {histogram: h, bound: -1}}"), "'bound'");
        cases.put(List.of("slo: {objective: 0.99, latency: {histogram: 'h{a=\"b\"', bound: 1}}"), "'histogram'");
        cases.forEach((fields, field) -> {
            String message = message(oneRule(fields.toArray(String[]::new)));
            int line = 4 + fields.size();
            assertTrue(message.startsWith("rules.yaml:" + line + ": ") || message.startsWith("rules.yaml:5: "),
                    () -> fields + ": " + message);
            assertContains(message, "rule 'A'", field);
            assertFalse(message.matches(".*\\bPT\\d.*"), message);
        });
    }

    @Test
    void aForShorterThanTheEvaluationIntervalIsRefusedAtItsLine() {
        RuleFileException e = assertThrows(RuleFileException.class,
                () -> RuleFile.parse(FILE, oneRule("expr: x > 1", "for: 500ms"), Duration.ofSeconds(1)));
        assertEquals(6, e.line());
        assertContains(e.getMessage(), "'for' of rule 'A' (500ms) is shorter than the evaluation interval (1s)",
                "cannot be honoured");
        assertEquals(List.of(0L, 1_000L), List.of(
                RuleFile.parse(FILE, oneRule("expr: x > 1", "for: 0s"), Duration.ofSeconds(1)).get(0).rules().get(0)
                        .forMillis(),
                RuleFile.parse(FILE, oneRule("expr: x > 1", "for: 1s"), Duration.ofSeconds(1)).get(0).rules().get(0)
                        .forMillis()), "0s fires at once; one interval is honoured");

        String grouped = "groups:\n  - name: g\n    interval: 5s\n    rules:\n      - alert: A\n        expr: x > 1\n"
                + "        for: 3s\n";
        RuleFileException group = assertThrows(RuleFileException.class, () -> RuleFile.parse(FILE, grouped));
        assertEquals(7, group.line());
        assertContains(group.getMessage(), "(3s) is shorter than the evaluation interval (5s)");

        RuleFileException interval = assertThrows(RuleFileException.class, () -> RuleFile.parse(FILE,
                "groups:\n  - name: g\n    interval: 500ms\n    rules: []\n", Duration.ofSeconds(1)));
        assertEquals(3, interval.line());
        assertContains(interval.getMessage(), "'interval' of group 'g' (500ms) is shorter than the evaluation interval (1s)");
    }

    @Test
    void theEvaluatorRefusesAForItCannotHonour() throws IOException {
        Path file = Files.writeString(dir.resolve("rules.yaml"), oneRule("expr: queue > 1", "for: 500ms"));
        RuleFileException e = assertThrows(RuleFileException.class, () -> AlertEvaluator.builder()
                .snapshots(() -> SyntheticSnapshot.at(0).gauge("queue", List.of(), 5).build()).ruleFile(file).build());
        assertEquals(file, e.file());
        assertEquals(6, e.line());
        assertContains(e.getMessage(), "(1s)");
        AlertEvaluator fast = AlertEvaluator.builder().interval(Duration.ofMillis(250))
                .snapshots(() -> SyntheticSnapshot.at(0).gauge("queue", List.of(), 5).build()).ruleFile(file).build();
        assertEquals(500, fast.ruleGroups().get(0).rules().get(0).forMillis(), "honoured at a 250 ms interval");

        IllegalArgumentException programmatic = assertThrows(IllegalArgumentException.class, () -> fast.setRules(
                List.of(new RuleGroup("g", Duration.ofSeconds(1), List.of(AlertRule.builder("B")
                        .condition(ThresholdCondition.of("queue > 1")).forDuration(Duration.ofMillis(500)).build())))));
        assertContains(programmatic.getMessage(), "rule 'B' for 500ms is shorter than its evaluation interval 1s");
    }
}
