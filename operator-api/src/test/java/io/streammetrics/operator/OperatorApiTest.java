package io.streammetrics.operator;

import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.alert.AlertEvaluator;
import io.streammetrics.alert.config.RuleFile;
import io.streammetrics.dashboard.Dashboard;
import io.streammetrics.health.HealthMonitor;
import io.streammetrics.json.JsonReader;
import io.streammetrics.metric.Gauge;
import io.streammetrics.prometheus.PrometheusHttpServer;
import io.streammetrics.stream.StreamMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator endpoints over real HTTP on 127.0.0.1: status codes, JSON, round-trips, authentication. */
class OperatorApiTest {
    private static final String RULES = """
            groups:
              - name: queue
                rules:
                  - alert: DeepQueue
                    expr: last(queue_depth) > 10
                    labels: {severity: critical}
                  - alert: SlightlyDeepQueue
                    expr: last(queue_depth) > 5
                    labels: {severity: warning}
            """;

    private final HttpClient client = HttpClient.newHttpClient();
    private MetricsEngine engine;
    private AlertEvaluator evaluator;
    private Dashboard dashboard;
    private HealthMonitor health;
    private PrometheusHttpServer server;
    private Gauge depth;

    @BeforeEach
    void start() throws Exception {
        engine = MetricsEngine.builder().backPressure(BackPressure.BLOCK).jvmMetrics(false).build().start();
        depth = engine.gauge("queue_depth").register().labels();
        AlertEvaluator.Builder builder = AlertEvaluator.builder().engine(engine);
        RuleFile.parse(Path.of("rules.yaml"), RULES).forEach(builder::ruleGroup);
        evaluator = builder.build();
        health = HealthMonitor.builder().alerts(evaluator::activeAlerts).cacheTtl(Duration.ZERO).build();
        dashboard = Dashboard.builder(engine).window(Duration.ofSeconds(10)).alerts(evaluator::activeAlerts).build();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        dashboard.close();
        health.close();
        evaluator.close();
        engine.close();
    }

    private void serve(PrometheusHttpServer.Builder builder) throws Exception {
        server = builder.port(0).build();
        // Writes without credentials, so that these tests can exercise them; OperatorApiWriteSecurityTest covers the
        // default, which refuses them.
        OperatorApi.builder(evaluator).health(health).dashboard(dashboard).allowUnauthenticatedWrites(true).build()
                .mount(server);
    }

    private void fire(double value) {
        depth.set(value);
        evaluator.evaluateOnce();
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        if (method.equals("POST")) {
            request.header("Content-Type", "application/json");
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> response) {
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                response.headers().toString());
        return (Map<String, Object>) JsonReader.parse(response.body());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> json, String key) {
        return (List<Map<String, Object>>) json.get(key);
    }

    @Test
    void healthIs200UntilACriticalAlertFiresThen503() throws Exception {
        serve(PrometheusHttpServer.builder(engine));
        HttpResponse<String> healthy = send("GET", "/api/health", null);
        assertEquals(200, healthy.statusCode());
        assertEquals("healthy", json(healthy).get("status"));
        fire(7);
        HttpResponse<String> degraded = send("GET", "/api/health", null);
        assertEquals(200, degraded.statusCode(), "a warning degrades, the process still works");
        assertEquals("degraded", json(degraded).get("status"));
        fire(20);
        HttpResponse<String> critical = send("GET", "/api/health", null);
        assertEquals(503, critical.statusCode());
        Map<String, Object> report = json(critical);
        assertEquals("critical", report.get("status"));
        assertEquals(1.0, ((Map<?, ?>) report.get("firingAlerts")).get("critical"));
    }

    @Test
    void alertsListActiveAndHistoryAndAcknowledgeRoundTrips() throws Exception {
        serve(PrometheusHttpServer.builder(engine));
        fire(20);
        Map<String, Object> alerts = json(send("GET", "/api/alerts", null));
        List<Map<String, Object>> active = list(alerts, "active");
        assertEquals(List.of("DeepQueue", "SlightlyDeepQueue"), active.stream().map(a -> a.get("ruleName")).sorted()
                .toList());
        Map<String, Object> deep = active.stream().filter(a -> a.get("ruleName").equals("DeepQueue")).findFirst()
                .orElseThrow();
        assertEquals("firing", deep.get("state"));
        assertEquals("critical", deep.get("severity"));
        assertNull(deep.get("acknowledgedBy"));
        assertEquals("firing", list(alerts, "history").get(0).get("kind"), "newest first");
        String id = (String) deep.get("id");

        HttpResponse<String> acked = send("POST", "/api/alerts/" + id + "/ack?by=alice", null);
        assertEquals(200, acked.statusCode(), acked.body());
        assertEquals("alice", json(acked).get("acknowledgedBy"));
        Map<String, Object> after = json(send("GET", "/api/alerts", null));
        assertEquals("alice", list(after, "active").stream().filter(a -> a.get("id").equals(id)).findFirst()
                .orElseThrow().get("acknowledgedBy"));
        assertEquals("alice", evaluator.alert(id).orElseThrow().acknowledgedBy());

        HttpResponse<String> byBody = send("POST", "/api/alerts/" + id + "/ack", "{\"by\":\"bob\"}");
        assertEquals("bob", json(byBody).get("acknowledgedBy"));
        HttpResponse<String> anonymous = send("POST", "/api/alerts/" + id + "/ack", null);
        assertEquals(400, anonymous.statusCode());
        assertTrue(((String) json(anonymous).get("error")).contains("?by=NAME"), anonymous.body());
        HttpResponse<String> unknown = send("POST", "/api/alerts/no-such-alert/ack?by=alice", null);
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("no active alert with id 'no-such-alert'"), unknown.body());
        HttpResponse<String> get = send("GET", "/api/alerts/" + id + "/ack", null);
        assertEquals(405, get.statusCode());
        assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void silencesAreCreatedListedAndExpired() throws Exception {
        serve(PrometheusHttpServer.builder(engine));
        HttpResponse<String> created = send("POST", "/api/silences", """
                {"matchers":[{"name":"alertname","value":"Deep.*","isRegex":true,"isEqual":true}],
                 "duration":"30m","createdBy":"alice","comment":"deploying the fix"}""");
        assertEquals(201, created.statusCode(), created.body());
        Map<String, Object> silence = json(created);
        String id = (String) silence.get("id");
        assertEquals("alice", silence.get("createdBy"));
        assertEquals(List.of(Map.of("name", "alertname", "value", "Deep.*", "isRegex", true, "isEqual", true)),
                silence.get("matchers"));
        assertEquals(id, evaluator.silences().get(0).id());
        assertEquals(List.of(id), list(json(send("GET", "/api/silences", null)), "silences").stream()
                .map(s -> s.get("id")).toList());
        assertEquals(id, list(json(send("GET", "/api/alerts", null)), "silences").get(0).get("id"));

        assertEquals(200, send("DELETE", "/api/silences/" + id, null).statusCode());
        assertTrue(evaluator.silences().isEmpty());
        assertEquals(404, send("DELETE", "/api/silences/" + id, null).statusCode());
    }

    @Test
    void badSilencesAreRefusedNamingTheProblem() throws Exception {
        serve(PrometheusHttpServer.builder(engine));
        Map<String, String> bad = Map.of(
                "{\"matchers\":[],\"duration\":\"1h\"}", "non-empty 'matchers'",
                "{\"matchers\":[{\"name\":\"a\",\"value\":\"b\"}]}", "exactly one of 'duration'",
                "{\"matchers\":[{\"name\":\"a\",\"value\":\"b\"}],\"duration\":\"soon\"}", "invalid duration 'soon'",
                "{\"matchers\":[{\"name\":\"a\",\"value\":\"(\",\"isRegex\":true}],\"duration\":\"1h\"}",
                "invalid regular expression",
                "{\"matchers\":", "invalid JSON at offset");
        for (Map.Entry<String, String> entry : bad.entrySet()) {
            HttpResponse<String> response = send("POST", "/api/silences", entry.getKey());
            assertEquals(400, response.statusCode(), entry.getKey());
            assertTrue(((String) json(response).get("error")).contains(entry.getValue()), response.body());
        }
        assertTrue(evaluator.silences().isEmpty());
        HttpResponse<String> huge = send("POST", "/api/silences", "[" + " ".repeat(Exchanges.MAX_BODY_BYTES) + "]");
        assertEquals(413, huge.statusCode());
    }

    @Test
    void dashboardServesStageNumbersAndAlertCounts() throws Exception {
        serve(PrometheusHttpServer.builder(engine));
        StreamMetrics parse = StreamMetrics.builder(engine).pipeline("orders").stage("parse").build();
        dashboard.refresh();
        parse.recordProcessedBatch(500, 0);
        parse.recordProcessingNanos(3_000_000);
        fire(20);
        Thread.sleep(20);       // rates need two samples some time apart
        dashboard.refresh();
        HttpResponse<String> response = send("GET", "/api/dashboard", null);
        assertEquals(200, response.statusCode());
        Map<String, Object> data = json(response);
        Map<String, Object> stage = list(data, "stages").get(0);
        assertEquals("parse", stage.get("stage"));
        assertTrue((Double) stage.get("recordsPerSecond") > 0, response.body());
        assertEquals(0.003, (Double) ((Map<?, ?>) stage.get("latencySeconds")).get("p99"), 0.003 * 0.01);
        Map<?, ?> firing = (Map<?, ?>) ((Map<?, ?>) data.get("alerts")).get("firing");
        assertEquals(1.0, firing.get("critical"));
        assertEquals(1.0, firing.get("warning"));
    }

    @Test
    void wrongPathsAre404AndWrongMethods405() throws Exception {
        serve(PrometheusHttpServer.builder(engine));
        for (String path : List.of("/api/nothing", "/api/alerts/x", "/api/alerts/x/ack/more", "/api/silences/a/b",
                "/api/health/more", "/api")) {
            assertEquals(404, send("GET", path, null).statusCode(), path);
        }
        HttpResponse<String> post = send("POST", "/api/health", "{}");
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
        assertEquals(405, send("DELETE", "/api/alerts", null).statusCode());
        assertEquals(405, send("PUT", "/api/silences", "{}").statusCode());
        assertEquals(405, send("GET", "/api/silences/some-id", null).statusCode());
    }

    @Test
    void withAuthenticationEveryEndpointNeedsCredentials() throws Exception {
        serve(PrometheusHttpServer.builder(engine).basicAuth("ops", "secret"));
        String credentials = "Basic " + Base64.getEncoder().encodeToString("ops:secret".getBytes(StandardCharsets.UTF_8));
        for (String path : List.of("/api/health", "/api/alerts", "/api/silences", "/api/dashboard")) {
            assertEquals(401, send("GET", path, null).statusCode(), path);
            assertEquals(200, send("GET", path, null, "Authorization", credentials).statusCode(), path);
        }
        assertEquals(401, send("POST", "/api/alerts/x/ack?by=mallory", null).statusCode());
        assertEquals(401, send("POST", "/api/silences", "{}").statusCode());
        assertTrue(evaluator.silences().isEmpty());
    }
}
