package io.streammetrics.examples;

import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.alert.AlertEvaluator;
import io.streammetrics.json.JsonReader;
import io.streammetrics.metric.CounterFamily;
import io.streammetrics.prometheus.PrometheusHttpServer;
import io.streammetrics.stream.StreamFixtures;
import io.streammetrics.stream.StreamMetrics;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana dashboard is a dashboard Grafana imports, and every query in it selects metrics a real scrape of an
 * engine with {@code StreamMetrics} and the JVM metrics exports.
 */
class GrafanaDashboardTest {
    static final Path DASHBOARD = Path.of("grafana", "streammetrics-dashboard.json");
    @SuppressWarnings("unchecked")
    private static Map<String, Object> dashboard() throws Exception {
        return (Map<String, Object>) JsonReader.parse(Files.readString(DASHBOARD));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return value == null ? List.of() : (List<Map<String, Object>>) value;
    }

    /** Every {@code expr} of every panel target, and the variables' {@code label_values} queries. */
    @SuppressWarnings("unchecked")
    private static List<String> queries(Map<String, Object> dashboard) {
        List<String> queries = new ArrayList<>();
        for (Map<String, Object> panel : list(dashboard.get("panels"))) {
            for (Map<String, Object> target : list(panel.get("targets"))) {
                queries.add((String) target.get("expr"));
            }
        }
        for (Map<String, Object> variable : list(((Map<String, Object>) dashboard.get("templating")).get("list"))) {
            if ("query".equals(variable.get("type"))) {
                queries.add((String) variable.get("definition"));
            }
        }
        return queries;
    }

    @Test
    @SuppressWarnings("unchecked")
    void isAnImportableDashboardOnATemplatedPrometheusDataSource() throws Exception {
        Map<String, Object> dashboard = dashboard();
        assertTrue(((Double) dashboard.get("schemaVersion")) >= 36, "schemaVersion " + dashboard.get("schemaVersion"));
        assertTrue(dashboard.get("uid") instanceof String && dashboard.get("title") instanceof String);
        Map<String, Map<String, Object>> variables = new java.util.HashMap<>();
        for (Map<String, Object> variable : list(((Map<String, Object>) dashboard.get("templating")).get("list"))) {
            variables.put((String) variable.get("name"), variable);
        }
        assertEquals("datasource", variables.get("datasource").get("type"));
        assertEquals("prometheus", variables.get("datasource").get("query"));
        assertTrue(variables.containsKey("pipeline") && variables.containsKey("stage"), variables.keySet().toString());
        Set<Object> ids = new HashSet<>();
        for (Map<String, Object> panel : list(dashboard.get("panels"))) {
            assertTrue(ids.add(panel.get("id")), "duplicate panel id " + panel.get("id"));
            assertTrue(((Map<String, Object>) panel.get("gridPos")).containsKey("w"), "gridPos of " + panel.get("title"));
            if ("row".equals(panel.get("type"))) {
                continue;
            }
            assertEquals("${datasource}", ((Map<String, Object>) panel.get("datasource")).get("uid"), (String) panel.get("title"));
            Set<Object> refIds = new HashSet<>();
            for (Map<String, Object> target : list(panel.get("targets"))) {
                assertTrue(refIds.add(target.get("refId")), "refIds of " + panel.get("title"));
                assertEquals("${datasource}", ((Map<String, Object>) target.get("datasource")).get("uid"));
            }
            assertFalse(refIds.isEmpty(), panel.get("title") + " has no query");
        }
    }

    @Test
    void everyQuerySelectsMetricsTheEngineExports() throws Exception {
        Set<String> exported = scrapeSampleNames();
        Set<String> missing = new TreeSet<>();
        Set<String> used = new LinkedHashSet<>();
        for (String query : queries(dashboard())) {
            Set<String> names = PromQlNames.of(query);
            assertFalse(names.isEmpty(), "no metric in query " + query);
            for (String name : names) {
                used.add(name);
                if (!exported.contains(name)) {
                    missing.add(name + "   (in " + query + ")");
                }
            }
        }
        assertTrue(missing.isEmpty(), "queries select metrics the scrape lacks:\n" + String.join("\n", missing));
        // The extraction found the names the panels are about.
        assertTrue(used.containsAll(List.of("stream_records_processed_total", "stream_processing_latency_seconds_bucket",
                "stream_errors_total", "stream_queue_size", "process_cpu_usage", "jvm_memory_used_bytes",
                "jvm_gc_collection_seconds_total", "streammetrics_events_dropped_total",
                "streammetrics_ring_remaining_capacity", "streammetrics_aggregator_lag_events",
                "streammetrics_alerts")), used.toString());
    }

    @Test
    void nameExtractionSkipsFunctionsLabelsAndVariables() {
        assertEquals(Set.of("a_bucket"), PromQlNames.of(
                "histogram_quantile(0.99, sum by (le, stage) (rate(a_bucket{stage=~\"$stage\", x=\"y z\"}[$__rate_interval])))"));
        assertEquals(Set.of("errors_total", "records_total"), PromQlNames.of(
                "sum without (instance) (rate(errors_total[1m])) / on (stage) group_left sum(rate(records_total[5m] offset 1m)) > bool 1e3"));
        assertEquals(Set.of("records_total"), PromQlNames.of("label_values(records_total{pipeline=~\"$p\"}, stage)"));
    }

    /**
     * The sample names of a text-format scrape of an engine with one instrumented stage, the JVM metrics and an alert
     * evaluator running the default rules (its {@code streammetrics_alerts}).
     */
    private static Set<String> scrapeSampleNames() throws Exception {
        try (MetricsEngine engine = MetricsEngine.builder().backPressure(BackPressure.BLOCK).build().start()) {
            StreamMetrics stage = StreamMetrics.builder(engine).pipeline("demo").stage("parse").build();
            StreamFixtures.recordEveryMethod(stage, 1, System.currentTimeMillis() - 5);
            // streammetrics_cardinality_overflow_total has series only once a family overflows: make one.
            CounterFamily overflowing = engine.counter("dashboard_test_overflow_total").help("Overflows.")
                    .labelNames("k").cardinalityLimit(1).register();
            overflowing.labels("a");
            overflowing.labels("b");
            AlertEvaluator.Builder rules = AlertEvaluator.builder().engine(engine);
            StreamMetrics.defaultRules().forEach(rules::ruleGroup);
            try (AlertEvaluator evaluator = rules.build();
                 PrometheusHttpServer server = PrometheusHttpServer.builder(engine).bindAddress("127.0.0.1").port(0)
                         .build()) {
                evaluator.evaluateOnce();
                HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + server.port() + PrometheusHttpServer.METRICS_PATH))
                        .header("Accept", "text/plain; version=0.0.4").build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode());
                Set<String> names = new HashSet<>();
                for (String line : response.body().split("\n")) {
                    if (!line.isEmpty() && !line.startsWith("#")) {
                        names.add(line.split("[{ ]", 2)[0]);
                    }
                }
                return names;
            }
        }
    }
}
