package io.streammetrics.alert.expr;

import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.snapshot.SyntheticSnapshot;
import io.streammetrics.window.WindowSettings;
import io.streammetrics.window.WindowStore;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The expression language: what parses, how names and matchers resolve, and errors that point at the column. */
class ExprParserTest {
    private static final MetricsSnapshot SNAPSHOT = SyntheticSnapshot.at(0)
            .counter("records", List.of("stage", "shard"), 10, "parse", "0")
            .counter("records", List.of("stage", "shard"), 20, "parse", "1")
            .counter("records", List.of("stage", "shard"), 40, "enrich", "0")
            .gauge("queue", List.of(), 7).build();

    private static List<Sample> eval(String text) {
        return ExprParser.parse(text).evaluate(new EvalContext(SNAPSHOT, new WindowStore(WindowSettings.DEFAULT), 0));
    }

    private static double single(String text) {
        List<Sample> samples = eval(text);
        assertEquals(1, samples.size(), () -> text + " gave " + samples);
        return samples.get(0).value();
    }

    @Test
    void matchersSelectSeriesByLabel() {
        assertEquals(30.0, single("sum(records_total{stage=\"parse\"})"));
        assertEquals(40.0, single("sum(records_total{stage!=\"parse\"})"));
        assertEquals(50.0, single("sum(records{stage=~\"p.*|e.*\", shard=\"0\"})"));
        assertEquals(20.0, single("sum(records_total{stage!~\"enr.*\", shard!=\"0\"})"));
        assertEquals(List.of(), eval("records_total{stage=\"load\"}"));
        assertEquals(List.of(), eval("records_count"), "a counter has no _count");
        assertEquals(Map.of("stage", "enrich", "shard", "0"), eval("records_total{stage=\"enrich\"}").get(0).labels());
    }

    @Test
    void arithmeticFollowsPrecedenceAndCountAndAvgAggregate() {
        assertEquals(7.0 * 2 + 1, single("queue * 2 + 1"));
        assertEquals(7.0 * (2 + 1), single("queue * (2 + 1)"));
        assertEquals(3.0, single("count(records_total)"));
        assertEquals(70.0 / 3, single("avg(records_total)"), 1e-12);
        assertEquals(40.0, single("max without (shard) (records_total{stage=\"enrich\"})"));
        assertEquals(2, eval("sum by (stage) (records_total)").size());
    }

    @Test
    void aConditionSplitsOffItsComparison() {
        Condition condition = ExprParser.parseCondition("rate(records_total[5m]) >= -1.5e2");
        assertEquals(Comparison.GREATER_OR_EQUAL, condition.comparison());
        assertEquals(-150.0, condition.limit());
        assertThrows(IllegalArgumentException.class, () -> ExprParser.parse("queue > 1"));
    }

    @Test
    void errorsNameTheProblemAndTheColumn() {
        assertMessage("rate(records_total[1m) > 1", "missing ]");
        assertMessage("rate(records_total) > 1", "expected '['", "column 19");
        assertMessage("nope(records_total[1m])", "unknown function 'nope'", "column 1");
        assertMessage("quantile(1.5, h[1m])", "quantile must be between 0 and 1");
        assertMessage("records_total[1m]", "range selector needs a function");
        assertMessage("records_total{stage=parse}", "expected a quoted label value");
        assertMessage("h_bucket{stage=\"x\"}", "needs le=");
        assertMessage("rate(records_total[5x])", "invalid duration '5x'");
        assertMessage("records_total{stage=~\"(\"}", "invalid regular expression");
        assertMessage("queue > 1 1", "unexpected '1'", "column 11");
        assertMessage("", "empty expression");
    }

    private static void assertMessage(String text, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExprParser.parseCondition(text));
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "'" + fragment + "' missing from: " + e.getMessage());
        }
    }
}
