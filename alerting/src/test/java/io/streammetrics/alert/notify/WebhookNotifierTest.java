package io.streammetrics.alert.notify;

import io.streammetrics.alert.Alert;
import io.streammetrics.alert.AlertEvent;
import io.streammetrics.alert.AlertState;
import io.streammetrics.alert.rule.Severity;
import io.streammetrics.testing.ServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static io.streammetrics.alert.notify.RecordingServer.Response.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookNotifierTest {
    private static final RetryPolicy FAST = RetryPolicy.builder().maxRetries(2)
            .initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(40)).jitter(0).build();

    private final RecordingServer server = RecordingServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    private WebhookNotifier.Builder webhook() {
        return WebhookNotifier.builder(server.uri("/hook")).retryPolicy(FAST).timeout(Duration.ofSeconds(5));
    }

    private static AlertEvent trickyEvent() {
        Alert alert = new Alert("HighLatency{stage=\"p\\1\"}", "HighLatency",
                Map.of("alertname", "HighLatency", "stage", "p\"a\\r\nse\u0001", "unicode", "é→\uD83D\uDE00"),
                Map.of("summary", "latency\t> 1s", "bad", "\uD800x\u2028"),
                Severity.CRITICAL, AlertState.FIRING, Double.NaN, TestAlerts.ACTIVE_AT, TestAlerts.FIRED_AT, 0,
                TestAlerts.FIRED_AT, "o'neil", true);
        return new AlertEvent(AlertEvent.Kind.ESCALATED, alert);
    }

    @Test
    void postsTheDocumentWithEveryFieldEscapedAndTheHeaders() throws Exception {
        String expected = "{\"version\":1,\"kind\":\"escalated\",\"id\":\"HighLatency{stage=\\\"p\\\\1\\\"}\","
                + "\"ruleName\":\"HighLatency\",\"state\":\"firing\",\"severity\":\"critical\",\"value\":\"NaN\","
                + "\"labels\":{\"alertname\":\"HighLatency\",\"stage\":\"p\\\"a\\\\r\\nse\\u0001\","
                + "\"unicode\":\"é→\uD83D\uDE00\"},"
                + "\"annotations\":{\"bad\":\"\\ud800x\\u2028\",\"summary\":\"latency\\t> 1s\"},"
                + "\"activeAt\":\"2026-01-02T03:04:05.678Z\",\"firedAt\":\"2026-01-02T03:05:05.678Z\","
                + "\"resolvedAt\":null,\"lastEvaluatedAt\":\"2026-01-02T03:05:05.678Z\","
                + "\"acknowledgedBy\":\"o'neil\",\"escalated\":true}";
        assertEquals(expected, WebhookNotifier.document(trickyEvent()));

        webhook().header("Authorization", "Bearer s3cret").build().notify(trickyEvent());

        RecordingServer.Request request = server.next();
        assertEquals("POST", request.method());
        assertEquals("/hook", request.path());
        assertEquals(expected, request.body());
        assertEquals("application/json", request.headers().getFirst("Content-Type"));
        assertEquals("Bearer s3cret", request.headers().getFirst("Authorization"));
    }

    @Test
    void retriesA503AndA429ThenSucceeds() throws Exception {
        server.respond(status(503), status(429), status(204));

        webhook().build().notify(trickyEvent());

        assertEquals(3, server.requests().size());
        assertEquals(server.requests().get(0).body(), server.requests().get(2).body(), "a retry resends the same document");
    }

    @Test
    void honoursRetryAfterUpToTheMaximumBackoff() throws Exception {
        server.respond(status(503, "Retry-After", "1"), status(429, "Retry-After", "3600"));
        RetryPolicy patient = RetryPolicy.builder().maxRetries(2).initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(1500)).jitter(0).build();

        long start = System.nanoTime();
        webhook().retryPolicy(patient).build().notify(trickyEvent());
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertEquals(3, server.requests().size());
        // 1 s asked by the first answer, then an hour asked by the second, capped at 1.5 s.
        assertTrue(tookMillis >= 2_400 && tookMillis < 8_000, "retries took " + tookMillis + " ms");
    }

    @Test
    void doesNotRetryA400() {
        server.respond(status(400));

        IOException failure = assertThrows(IOException.class, () -> webhook().build().notify(trickyEvent()));

        assertEquals(1, server.requests().size());
        assertTrue(failure.getMessage().contains("HTTP 400") && failure.getMessage().contains("not retried"),
                failure.getMessage());
    }

    @Test
    void throwsAfterTheLastRetry() {
        server.respond(status(500), status(502), status(503), status(200));

        IOException failure = assertThrows(IOException.class, () -> webhook().build().notify(trickyEvent()));

        assertEquals(3, server.requests().size(), "1 attempt + 2 retries, then give up");
        assertTrue(failure.getMessage().contains("after 3 attempt(s): HTTP 503"), failure.getMessage());
    }

    @Test
    void aHangingReceiverTimesOut() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        server.respond(RecordingServer.blockedUntil(never, 200));
        WebhookNotifier notifier = webhook().timeout(Duration.ofMillis(300)).retryPolicy(RetryPolicy.none()).build();

        long start = System.nanoTime();
        IOException failure = assertThrows(IOException.class, () -> notifier.notify(trickyEvent()));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        never.countDown();

        assertInstanceOf(HttpTimeoutException.class, failure.getCause(), failure.toString());
        assertTrue(elapsedMillis >= 250 && elapsedMillis < 5_000, "gave up after " + elapsedMillis + " ms");
    }

    @Test
    void retriesARefusedConnection() throws Exception {
        int closedPort = ServerProcess.freePort();
        WebhookNotifier notifier = WebhookNotifier.builder(URI.create("http://127.0.0.1:" + closedPort + "/"))
                .retryPolicy(FAST).build();

        IOException failure = assertThrows(IOException.class, () -> notifier.notify(trickyEvent()));

        assertTrue(failure.getMessage().contains("after 3 attempt(s)"), failure.getMessage());
        assertInstanceOf(ConnectException.class, failure.getCause(), failure.toString());
    }

    @Test
    void authenticationHelpersSetOneAuthorizationHeader() throws Exception {
        webhook().header("authorization", "old").bearerToken("t0ken").build().notify(trickyEvent());
        webhook().bearerToken("t0ken").basicAuth("alice", "pa:ss").build().notify(trickyEvent());

        assertEquals(List.of("Bearer t0ken"), server.next().headers().get("Authorization"));
        assertEquals(List.of("Basic YWxpY2U6cGE6c3M="), server.next().headers().get("Authorization"));
        assertThrows(IllegalArgumentException.class, () -> webhook().basicAuth("a:b", "c"));
    }

    @Test
    void badConfigurationIsRejectedWithTheProblemNamed() {
        IllegalArgumentException scheme = assertThrows(IllegalArgumentException.class,
                () -> WebhookNotifier.builder(URI.create("ftp://host/hook")));
        assertTrue(scheme.getMessage().contains("http or https"), scheme.getMessage());
        IllegalArgumentException relative = assertThrows(IllegalArgumentException.class,
                () -> WebhookNotifier.builder(URI.create("/hook")));
        assertTrue(relative.getMessage().contains("absolute"), relative.getMessage());
        IllegalArgumentException header = assertThrows(IllegalArgumentException.class,
                () -> webhook().header("Host", "evil"));
        assertTrue(header.getMessage().contains("'Host'"), header.getMessage());
        IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class,
                () -> webhook().timeout(Duration.ZERO));
        assertTrue(timeout.getMessage().contains("timeout"), timeout.getMessage());
    }

    @Test
    void sendsPendingAndResolvedEventsToo() throws Exception {
        Alert alert = TestAlerts.firing("QueueFull", Map.of("alertname", "QueueFull"), Severity.WARNING);
        WebhookNotifier notifier = webhook().build();

        notifier.notify(TestAlerts.event(AlertEvent.Kind.RESOLVED, TestAlerts.resolved(alert)));

        String body = server.next().body();
        assertTrue(body.contains("\"kind\":\"resolved\"") && body.contains("\"state\":\"resolved\"")
                && body.contains("\"resolvedAt\":\"2026-01-02T03:10:05.678Z\""), body);
    }
}
