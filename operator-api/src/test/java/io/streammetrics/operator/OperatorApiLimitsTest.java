package io.streammetrics.operator;

import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.alert.AlertEvaluator;
import io.streammetrics.alert.Silence;
import io.streammetrics.json.JsonReader;
import io.streammetrics.prometheus.PrometheusHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bounds and protocol defects of the operator API over real HTTP (issue 15 items 12 and 13): every request here is
 * authenticated and JSON, so that only the bound or the defect under test can refuse it.
 */
class OperatorApiLimitsTest {
    private static final String TOKEN = "limits-token";
    private static final int MAX_SILENCES = 20;
    private final HttpClient client = HttpClient.newHttpClient();
    private MetricsEngine engine;
    private AlertEvaluator evaluator;
    private PrometheusHttpServer server;

    @BeforeEach
    void start() throws Exception {
        engine = MetricsEngine.builder().backPressure(BackPressure.BLOCK).jvmMetrics(false).build().start();
        evaluator = AlertEvaluator.builder().engine(engine).maxSilences(MAX_SILENCES).build();
        server = PrometheusHttpServer.builder(engine).port(0).bearerToken(TOKEN).build();
        OperatorApi.builder(evaluator).build().mount(server);
    }

    @AfterEach
    void stop() {
        server.close();
        evaluator.close();
        engine.close();
    }

    private HttpResponse<String> post(String path, byte[] body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return post(path, body.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String error(HttpResponse<String> response) {
        return (String) ((Map<?, ?>) JsonReader.parse(response.body())).get("error");
    }

    private static String silence(String matchers, String rest) {
        return "{\"matchers\":[" + matchers + "]," + rest + "}";
    }

    @Test
    void anEndsAtBeyondEpochMillisIs400Not500() throws Exception {
        HttpResponse<String> response = post("/api/silences", silence("{\"name\":\"alertname\",\"value\":\"X\"}",
                "\"endsAt\":\"+999999999-12-31T23:59:59Z\""));
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(error(response).contains("invalid endsAt"), response.body());
        HttpResponse<String> duration = post("/api/silences", silence("{\"name\":\"alertname\",\"value\":\"X\"}",
                "\"duration\":\"" + (Long.MAX_VALUE / 1000 / 60 / 60 / 24 / 365 - 1) + "y\""));
        assertEquals(400, duration.statusCode(), duration.body());
        assertTrue(evaluator.silences().isEmpty());
    }

    @Test
    void aBodyThatIsNotUtf8Is400() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(silence("{\"name\":\"alertname\",\"value\":\"X\"}", "\"duration\":\"1h\",\"comment\":\"")
                .getBytes(StandardCharsets.UTF_8));
        body.write(0xC3);   // a lead byte followed by '(' is malformed UTF-8
        body.write('(');
        body.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = post("/api/silences", body.toByteArray());
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(error(response).contains("not valid UTF-8"), response.body());
        assertTrue(evaluator.silences().isEmpty());
    }

    @Test
    void emptyAndNonLabelMatcherNamesAre400() throws Exception {
        for (String name : List.of("", "1st", "alert-name", "a b", "{}")) {
            HttpResponse<String> response = post("/api/silences", silence("{\"name\":\"" + name
                    + "\",\"value\":\"X\"}", "\"duration\":\"1h\""));
            assertEquals(400, response.statusCode(), name + ": " + response.body());
            assertTrue(error(response).contains("invalid label name"), response.body());
        }
        assertTrue(evaluator.silences().isEmpty());
    }

    @Test
    void silencesAreBoundedInNumberMatchersAndSize() throws Exception {
        String one = "{\"name\":\"alertname\",\"value\":\"X\"}";
        String many = String.join(",", java.util.Collections.nCopies(Silence.MAX_MATCHERS + 1, one));
        HttpResponse<String> tooMany = post("/api/silences", silence(many, "\"duration\":\"1h\""));
        assertEquals(400, tooMany.statusCode(), tooMany.body());
        assertTrue(error(tooMany).contains("at most " + Silence.MAX_MATCHERS + " matchers"), tooMany.body());
        HttpResponse<String> longComment = post("/api/silences", silence(one, "\"duration\":\"1h\",\"comment\":\""
                + "c".repeat(Silence.MAX_COMMENT_LENGTH + 1) + "\""));
        assertEquals(400, longComment.statusCode(), longComment.body());
        HttpResponse<String> longValue = post("/api/silences", silence("{\"name\":\"alertname\",\"value\":\""
                + "v".repeat(Silence.MAX_MATCHER_VALUE_LENGTH + 1) + "\"}", "\"duration\":\"1h\""));
        assertEquals(400, longValue.statusCode(), longValue.body());
        HttpResponse<String> huge = post("/api/silences", "[" + " ".repeat(Exchanges.MAX_BODY_BYTES) + "]");
        assertEquals(413, huge.statusCode());
        assertTrue(evaluator.silences().isEmpty());

        for (int i = 0; i < MAX_SILENCES; i++) {
            HttpResponse<String> created = post("/api/silences", silence(one, "\"duration\":\"1h\""));
            assertEquals(201, created.statusCode(), created.body());
        }
        HttpResponse<String> full = post("/api/silences", silence(one, "\"duration\":\"1h\""));
        assertEquals(409, full.statusCode(), full.body());
        assertTrue(error(full).contains("too many silences"), full.body());
        assertEquals(MAX_SILENCES, evaluator.silences().size());
    }

    @Test
    void pathsAreExact() throws Exception {
        for (String path : List.of("/metricsXYZ", "/metrics/", "/metrics/x", "/-/healthyX", "/-/healthy/x")) {
            assertEquals(404, get(path).statusCode(), path);
        }
        assertEquals(200, get("/metrics").statusCode());
        assertEquals(200, get("/-/healthy").statusCode());
    }
}
