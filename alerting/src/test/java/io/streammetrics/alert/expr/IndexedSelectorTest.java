package io.streammetrics.alert.expr;

import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.CounterFamily;
import io.streammetrics.internal.registry.NameRules;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.window.WindowSettings;
import io.streammetrics.window.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Selectors whose equality matchers go through the snapshot's label index select what a scan of the family would:
 * the overflow series (every label empty), labels the family lacks (empty), and the other matchers still applied.
 */
class IndexedSelectorTest {
    private MetricsEngine engine;
    private MetricsSnapshot snapshot;

    @BeforeEach
    void record() {
        // A cardinality limit of 2: the third stage lands in the overflow series.
        engine = MetricsEngine.builder().jvmMetrics(false).cardinalityLimit(2).build().start();
        CounterFamily records = engine.counter("records").help("Records.").labelNames("stage").register();
        records.labels("parse").add(1);
        records.labels("enrich").add(2);
        records.labels("emit").add(4);
        snapshot = engine.snapshot();
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private Set<Map<String, String>> select(String selector) {
        return ExprParser.parse(selector).evaluate(new EvalContext(snapshot, new WindowStore(WindowSettings.DEFAULT), 0))
                .stream().map(Sample::labels).collect(Collectors.toSet());
    }

    @Test
    void equalityMatchersSelectAsAScanWould() {
        Map<String, String> overflow = Map.of(NameRules.OVERFLOW_LABEL, "true");
        assertEquals(Set.of(Map.of("stage", "parse")), select("records_total{stage=\"parse\"}"));
        assertEquals(Set.of(overflow), select("records_total{stage=\"\"}"), "the overflow series has every label empty");
        assertEquals(Set.of(Map.of("stage", "parse"), Map.of("stage", "enrich"), overflow),
                select("records_total{shard=\"\"}"), "a label the family lacks is empty on every series");
        assertEquals(Set.of(), select("records_total{shard=\"0\"}"));
        assertEquals(Set.of(), select("records_total{stage=\"parse\", stage!=\"parse\"}"),
                "the matchers after the indexed one still apply");
        assertEquals(Set.of(Map.of("stage", "enrich")), select("records_total{stage=~\"e.*\", stage=\"enrich\"}"));
        assertEquals(List.of(7.0), ExprParser.parse("sum(records_total)").evaluate(new EvalContext(snapshot,
                new WindowStore(WindowSettings.DEFAULT), 0)).stream().map(Sample::value).toList());
    }
}
