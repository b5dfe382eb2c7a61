package io.streammetrics.alert.config;

import io.streammetrics.EngineTestSupport;
import io.streammetrics.MetricsEngine;
import io.streammetrics.alert.AlertEvaluator;
import io.streammetrics.alert.rule.AlertRule;
import io.streammetrics.snapshot.SyntheticSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15 item 7: rule files nested or repeated far beyond any real rule are refused with a {@link RuleFileException}
 * naming the file and line, never a {@link StackOverflowError}; a reload of such a file is recorded like any bad file.
 */
class DeepInputTest {
    private static final Path FILE = Path.of("deep.yaml");

    @TempDir
    Path dir;

    private static RuleFileException error(String yaml) {
        return assertThrows(RuleFileException.class, () -> RuleFile.parse(FILE, yaml));
    }

    /** A rule file whose one rule has this expression (line 5). */
    private static String ruleWithExpr(String expr) {
        return "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: '" + expr + "'\n";
    }

    @Test
    void blockMappingsNested1000DeepAreRefusedAtTheLineWhereTheLimitIsPassed() {
        StringBuilder yaml = new StringBuilder("groups:\n  - name: g\n    rules:\n      - alert: A\n        labels:\n");
        for (int i = 0; i < 1_000; i++) {
            yaml.append("  ".repeat(i + 5)).append("k").append(i).append(":\n");
        }
        yaml.append("  ".repeat(1_005)).append("v: 1\n");
        RuleFileException e = error(yaml.toString());
        assertEquals(FILE, e.file());
        assertTrue(e.line() > 5 && e.line() < 100, e.getMessage());
        assertTrue(e.getMessage().contains("nested deeper than " + BoundedYaml.MAX_DEPTH), e.getMessage());
    }

    @Test
    void flowCollectionsNested10000DeepAreRefused() {
        RuleFileException e = error("groups:\n  - name: g\n    rules:\n      - alert: A\n        labels: "
                + "[".repeat(10_000) + "]".repeat(10_000) + "\n");
        assertEquals(5, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("nested deeper than"), e.getMessage());
        RuleFileException maps = error("groups: " + "{a: ".repeat(10_000) + "1" + "}".repeat(10_000) + "\n");
        assertEquals(1, maps.line(), maps.getMessage());
    }

    @Test
    void tenThousandParenthesesAreRefusedNamingTheRuleAndField() {
        RuleFileException e = error(ruleWithExpr("(".repeat(10_000) + "x" + ")".repeat(10_000) + " > 1"));
        assertEquals(5, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("'expr' of rule 'A'"), e.getMessage());
        assertTrue(e.getMessage().contains("nested deeper than"), e.getMessage());
        RuleFileException aggregations = error(ruleWithExpr("sum(".repeat(5_000) + "x" + ")".repeat(5_000) + " > 1"));
        assertTrue(aggregations.getMessage().contains("nested deeper than"), aggregations.getMessage());
    }

    @Test
    void aHundredThousandTermSumIsRefused() {
        RuleFileException e = error(ruleWithExpr("x" + " + x".repeat(99_999) + " > 1"));
        assertEquals(5, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("more than"), e.getMessage());
        RuleFileException products = error(ruleWithExpr("x" + " * 2".repeat(99_999) + " > 1"));
        assertTrue(products.getMessage().contains("more than"), products.getMessage());
    }

    @Test
    void aliasesThatMultiplyAreRefused() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [x, x]\n");
        for (int i = 1; i < 40; i++) {
            yaml.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a")
                    .append(i - 1).append("]\n");
        }
        RuleFileException e = error(yaml.toString());
        assertTrue(e.getMessage().contains("invalid YAML"), e.getMessage());
    }

    @Test
    void aFileLargerThanTheLimitIsRefusedBeforeItIsRead() throws IOException {
        Path big = dir.resolve("big.yaml");
        Files.writeString(big, "# " + "x".repeat(BoundedYaml.MAX_BYTES) + "\n");
        RuleFileException e = assertThrows(RuleFileException.class, () -> RuleFile.load(big));
        assertEquals(big, e.file());
        assertTrue(e.getMessage().contains("larger than"), e.getMessage());
    }

    @Test
    void aDeepFileOnReloadIsRecordedCountedAndKeepsTheOldRules() throws IOException {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, "groups:\n  - name: g\n    rules:\n      - alert: QueueHigh\n        expr: queue > 10\n");
        try (MetricsEngine engine = MetricsEngine.builder().build().start();
             AlertEvaluator evaluator = AlertEvaluator.builder().engine(engine)
                     .snapshots(() -> SyntheticSnapshot.at(0).gauge("queue", List.of(), 50).build())
                     .ruleFile(file).build()) {
            Files.writeString(file, ruleWithExpr("(".repeat(10_000) + "queue" + ")".repeat(10_000) + " > 1"));
            List<LogRecord> logged = new CopyOnWriteArrayList<>();
            Handler capture = new Handler() {
                @Override
                public void publish(LogRecord record) {
                    logged.add(record);
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            Logger log = Logger.getLogger(AlertEvaluator.class.getName());
            log.addHandler(capture);
            RuleFileException e;
            try {
                e = assertThrows(RuleFileException.class, () -> evaluator.loadRuleFile(file));
            } finally {
                log.removeHandler(capture);
            }
            assertEquals(1, logged.size(), () -> "logged once: " + logged.stream().map(LogRecord::getMessage).toList());
            assertEquals(Level.SEVERE, logged.get(0).getLevel());
            assertTrue(logged.get(0).getMessage().contains(file + ":5: "), logged.get(0).getMessage());
            assertTrue(logged.get(0).getThrown() == null && logged.get(0).getMessage().length() < 500,
                    "one line, no stack trace");
            assertSame(e, evaluator.lastLoadError());
            assertEquals(file, e.file());
            assertEquals(5, e.line());
            assertEquals(List.of("QueueHigh"),
                    evaluator.ruleGroups().get(0).rules().stream().map(AlertRule::name).toList());
            EngineTestSupport.awaitSnapshot(engine, "the failed reload counted", snapshot ->
                    EngineTestSupport.counterLong(snapshot, "streammetrics_rule_reloads", "failure") == 1);
        }
    }
}
