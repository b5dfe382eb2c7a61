package io.streammetrics.examples;

import io.streammetrics.json.JsonReader;
import io.streammetrics.testing.Promtool;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The quick-start end to end over HTTP, with its trouble brought forward (at 3 s for 8 s): {@code /metrics} passes the
 * real {@code promtool check metrics}, the latency spike fires the high-latency alert and {@code /api/health} reports
 * the trouble (critical, 503), and once the trouble is over the alert resolves. The run stays up until the test
 * closes it, so no request races the end of the run.
 */
class QuickStartIT {
    private final HttpClient client = HttpClient.newHttpClient();
    private String base;

    @Test
    void theInjectedSpikeFiresAndResolvesTheHighLatencyAlertAndHealthReportsIt() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        QuickStartOptions options = QuickStartOptions.parse("--port", "0", "--rate", "20000",
                "--trouble-at", "3s", "--trouble-for", "8s");
        try (QuickStartRun run = QuickStartRun.start(options, Map.of(), lines::add)) {
            base = "http://127.0.0.1:" + run.port();

            String metrics = get("/metrics").body();
            Promtool.Result promtool = Promtool.checkMetrics(metrics);
            assertEquals(0, promtool.exitCode(), "promtool check metrics:\n" + promtool.output());
            assertTrue(metrics.contains("stream_processing_latency_seconds_bucket{pipeline=\"orders\",stage=\"enrich\""));
            // Issue 17: the stages record their synthetic trace ids as exemplars, which OpenMetrics shows.
            String openMetrics = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                    .header("Accept", "application/openmetrics-text; version=1.0.0").build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(openMetrics.lines().anyMatch(line -> line.matches(
                    "stream_processing_latency_seconds_bucket\\{pipeline=\"orders\",stage=\"parse\",le=\"[^\"]+\"} \\d+ "
                    + "# \\{trace_id=\"[0-9a-f]{32}\",span_id=\"[0-9a-f]{16}\"} [0-9.eE-]+ \\d+\\.\\d{3}")),
                    openMetrics);

            Map<String, Object> firing = await("HighLatency firing", Duration.ofSeconds(40),
                    alerts -> active(alerts, "HighLatency", "firing"));
            Map<String, Object> alert = first(firing, "HighLatency");
            assertEquals("enrich", ((Map<?, ?>) alert.get("labels")).get("stage"), alert.toString());
            assertTrue((Double) alert.get("value") > 0.1, alert.toString());

            // The health report is cached for 1 s (HealthMonitor's TTL): the one served right after the alert fired
            // may predate it. The next one must be critical.
            HttpResponse<String> health = get("/api/health");
            long healthDeadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (health.statusCode() != 503 && System.nanoTime() < healthDeadline) {
                Thread.sleep(100);
                health = get("/api/health");
            }
            Map<?, ?> report = (Map<?, ?>) JsonReader.parse(health.body());
            assertEquals(503, health.statusCode(), health.body());
            assertEquals("critical", report.get("status"));
            assertTrue((Double) ((Map<?, ?>) report.get("firingAlerts")).get("critical") >= 1, health.body());
            assertEquals("healthy", ((Map<?, ?>) ((Map<?, ?>) report.get("components")).get("metrics-engine"))
                    .get("status"), health.body());

            Map<String, Object> resolved = await("HighLatency resolved", Duration.ofSeconds(40),
                    alerts -> !active(alerts, "HighLatency", "firing") && history(alerts, "HighLatency", "resolved"));
            assertTrue(history(resolved, "HighLatency", "firing"), resolved.toString());
            assertTrue(lines.stream().anyMatch(line -> line.matches("\\[ *\\d+s] FIRING +HighLatency critical: .*")),
                    lines.toString());
            assertTrue(lines.stream().anyMatch(line -> line.matches("\\[ *\\d+s] RESOLVED +HighLatency critical: .*")),
                    lines.toString());
        }
        assertTrue(lines.get(lines.size() - 1).startsWith("stopped: "), lines.toString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() == 200 || path.equals("/api/health"), path + ": " + response.statusCode());
        return response;
    }

    /** Polls {@code /api/alerts} until {@code condition} holds; fails with the last document after {@code limit}. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> await(String what, Duration limit, Predicate<Map<String, Object>> condition)
            throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        Map<String, Object> alerts;
        do {
            alerts = (Map<String, Object>) JsonReader.parse(get("/api/alerts").body());
            if (condition.test(alerts)) {
                return alerts;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        return fail("no " + what + " within " + limit + "; last /api/alerts: " + alerts);
    }

    private static List<?> list(Map<String, Object> alerts, String key) {
        return (List<?>) alerts.get(key);
    }

    private static boolean active(Map<String, Object> alerts, String rule, String state) {
        return list(alerts, "active").stream().map(Map.class::cast)
                .anyMatch(alert -> alert.get("ruleName").equals(rule) && alert.get("state").equals(state));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> first(Map<String, Object> alerts, String rule) {
        return list(alerts, "active").stream().map(alert -> (Map<String, Object>) alert)
                .filter(alert -> alert.get("ruleName").equals(rule)).findFirst().orElseThrow();
    }

    private static boolean history(Map<String, Object> alerts, String rule, String kind) {
        return list(alerts, "history").stream().map(Map.class::cast).anyMatch(event -> event.get("kind").equals(kind)
                && ((Map<?, ?>) event.get("alert")).get("ruleName").equals(rule));
    }
}
