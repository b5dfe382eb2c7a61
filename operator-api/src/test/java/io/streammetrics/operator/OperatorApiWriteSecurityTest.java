package io.streammetrics.operator;

import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.alert.AlertEvaluator;
import io.streammetrics.alert.expr.LabelMatcher;
import io.streammetrics.alert.Silence;
import io.streammetrics.json.JsonReader;
import io.streammetrics.prometheus.PrometheusHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15 item 11: writes (acknowledge, silence, expire) are off without credentials unless allowed; a write must be
 * JSON and same-origin; a loopback server answers only to its own Host (DNS rebinding). One test per refusal, and the
 * accepted paths.
 */
class OperatorApiWriteSecurityTest {
    private static final String TOKEN = "write-token";
    private static final String SILENCE = """
            {"matchers":[{"name":"alertname","value":"DeepQueue"}],"duration":"1h","createdBy":"alice"}""";

    private final HttpClient client = HttpClient.newHttpClient();
    private MetricsEngine engine;
    private AlertEvaluator evaluator;
    private PrometheusHttpServer server;

    @BeforeEach
    void start() {
        engine = MetricsEngine.builder().backPressure(BackPressure.BLOCK).jvmMetrics(false).build().start();
        evaluator = AlertEvaluator.builder().engine(engine).build();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        evaluator.close();
        engine.close();
    }

    private void serve(PrometheusHttpServer.Builder builder, boolean allowUnauthenticated) throws Exception {
        server = builder.port(0).build();
        OperatorApi.builder(evaluator).allowUnauthenticatedWrites(allowUnauthenticated).build().mount(server);
    }

    private String origin() {
        return "http://127.0.0.1:" + server.port();
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String error(HttpResponse<String> response) {
        return (String) ((Map<?, ?>) JsonReader.parse(response.body())).get("error");
    }

    private static String[] authJson(String... more) {
        String[] base = {"Authorization", "Bearer " + TOKEN, "Content-Type", "application/json"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void withoutCredentialsWritesAreOffButReadsWork() throws Exception {
        serve(PrometheusHttpServer.builder(engine), false);
        Silence existing = evaluator.silence(List.of(LabelMatcher.equal("alertname", "X")), Duration.ofHours(1), "bob",
                "");
        HttpResponse<String> post = send("POST", "/api/silences", SILENCE, "Content-Type", "application/json");
        assertEquals(403, post.statusCode(), post.body());
        assertTrue(error(post).contains("writes are disabled"), post.body());
        assertEquals(403, send("DELETE", "/api/silences/" + existing.id(), null).statusCode());
        assertEquals(403, send("POST", "/api/alerts/any/ack?by=mallory", "{}", "Content-Type", "application/json")
                .statusCode());
        assertEquals(List.of(existing), evaluator.silences());
        assertEquals(200, send("GET", "/api/silences", null).statusCode());
        assertEquals(200, send("GET", "/api/alerts", null).statusCode());
    }

    @Test
    void theBuilderCanAllowUnauthenticatedWrites() throws Exception {
        serve(PrometheusHttpServer.builder(engine), true);
        HttpResponse<String> post = send("POST", "/api/silences", SILENCE, "Content-Type", "application/json");
        assertEquals(201, post.statusCode(), post.body());
        // The cross-site checks stay.
        assertEquals(403, send("POST", "/api/silences", SILENCE, "Content-Type", "application/json",
                "Origin", "http://evil.example").statusCode());
        assertEquals(1, evaluator.silences().size());
    }

    @Test
    void withCredentialsAJsonWriteIsAccepted() throws Exception {
        serve(PrometheusHttpServer.builder(engine).bearerToken(TOKEN), false);
        assertEquals(401, send("POST", "/api/silences", SILENCE, "Content-Type", "application/json").statusCode());
        // As curl sends it: no Origin, no Sec-Fetch-Site.
        HttpResponse<String> created = send("POST", "/api/silences", SILENCE, authJson());
        assertEquals(201, created.statusCode(), created.body());
        // As the console's page sends it: same origin.
        HttpResponse<String> fromPage = send("POST", "/api/silences", SILENCE, authJson("Origin", origin(),
                "Sec-Fetch-Site", "same-origin"));
        assertEquals(201, fromPage.statusCode(), fromPage.body());
        String id = evaluator.silences().get(0).id();
        assertEquals(200, send("DELETE", "/api/silences/" + id, null, "Authorization", "Bearer " + TOKEN,
                "Origin", origin()).statusCode());
        assertEquals(1, evaluator.silences().size());
    }

    @Test
    void aWriteThatIsNotJsonIs415() throws Exception {
        serve(PrometheusHttpServer.builder(engine).bearerToken(TOKEN), false);
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; b=x")) {
            HttpResponse<String> response = send("POST", "/api/silences", SILENCE, "Authorization",
                    "Bearer " + TOKEN, "Content-Type", type);
            assertEquals(415, response.statusCode(), type);
            assertTrue(error(response).contains("application/json"), response.body());
        }
        assertEquals(415, send("POST", "/api/silences", SILENCE, "Authorization", "Bearer " + TOKEN).statusCode(),
                "no Content-Type");
        assertEquals(415, send("POST", "/api/alerts/any/ack?by=mallory", null, "Authorization", "Bearer " + TOKEN)
                .statusCode());
        assertTrue(evaluator.silences().isEmpty());
        assertEquals(201, send("POST", "/api/silences", SILENCE, "Authorization", "Bearer " + TOKEN,
                "Content-Type", "application/json; charset=utf-8").statusCode());
    }

    @Test
    void aWriteFromAnotherOriginIs403() throws Exception {
        serve(PrometheusHttpServer.builder(engine).bearerToken(TOKEN), false);
        for (String origin : List.of("http://evil.example", "null", "http://127.0.0.1:1", "https://127.0.0.1:"
                + server.port())) {
            HttpResponse<String> response = send("POST", "/api/silences", SILENCE, authJson("Origin", origin));
            assertEquals(403, response.statusCode(), origin);
            assertTrue(error(response).contains("cross-origin"), response.body());
        }
        Silence existing = evaluator.silence(List.of(LabelMatcher.equal("alertname", "X")), Duration.ofHours(1), "bob",
                "");
        assertEquals(403, send("DELETE", "/api/silences/" + existing.id(), null, "Authorization", "Bearer " + TOKEN,
                "Origin", "http://evil.example").statusCode());
        assertEquals(List.of(existing), evaluator.silences());
    }

    @Test
    void aWriteABrowserMarksCrossSiteIs403() throws Exception {
        serve(PrometheusHttpServer.builder(engine).bearerToken(TOKEN), false);
        for (String site : List.of("cross-site", "same-site")) {
            HttpResponse<String> response = send("POST", "/api/silences", SILENCE, authJson("Sec-Fetch-Site", site));
            assertEquals(403, response.statusCode(), site);
            assertTrue(error(response).contains("cross-site"), response.body());
        }
        assertTrue(evaluator.silences().isEmpty());
        assertEquals(201, send("POST", "/api/silences", SILENCE, authJson("Sec-Fetch-Site", "none")).statusCode());
    }

    @Test
    void aRefusalBeforeTheBodyArrivedLeavesTheConnectionUsable() throws Exception {
        serve(PrometheusHttpServer.builder(engine).bearerToken(TOKEN), false);
        byte[] body = SILENCE.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(10_000);
            java.io.OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            // The headers alone: the refusal (415, not JSON) comes before the body is sent.
            out.write(("POST /api/silences HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nAuthorization: Bearer "
                    + TOKEN + "\r\nContent-Type: text/plain\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertTrue(readResponse(in).startsWith("HTTP/1.1 415"));
            out.write(body);
            // The same connection takes the next request: the server read the body it had not needed.
            out.write(("GET /api/silences HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nAuthorization: Bearer "
                    + TOKEN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertTrue(readResponse(in).startsWith("HTTP/1.1 200"));
        }
    }

    /** One response with a Content-Length body, read from a kept-alive connection. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + head);
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.readNBytes(length);
        return head.toString();
    }

    /** HttpClient will not send a Host of our choosing: a raw request, as a rebinding page's browser sends it. */
    private String rawStatusLine(String method, String path, String host, String body) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(10_000);
            String request = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8)
                    .length + "\r\nConnection: close\r\n\r\n" + body;
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return response.substring(0, response.indexOf("\r\n"));
        }
    }

    @Test
    void aLoopbackServerRefusesAForeignHost() throws Exception {
        serve(PrometheusHttpServer.builder(engine).bearerToken(TOKEN), false);
        int port = server.port();
        assertTrue(rawStatusLine("POST", "/api/silences", "attacker.example:" + port, SILENCE).contains(" 403"));
        assertTrue(rawStatusLine("GET", "/metrics", "attacker.example:" + port, "").contains(" 403"));
        assertTrue(rawStatusLine("GET", "/api/alerts", "rebind.attacker.example", "").contains(" 403"));
        assertTrue(evaluator.silences().isEmpty());
        for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "LOCALHOST", "[::1]:" + port)) {
            assertTrue(rawStatusLine("GET", "/metrics", host, "").contains(" 200"), host);
        }
        assertTrue(rawStatusLine("POST", "/api/silences", "localhost:" + port, SILENCE).contains(" 201"));
    }
}
