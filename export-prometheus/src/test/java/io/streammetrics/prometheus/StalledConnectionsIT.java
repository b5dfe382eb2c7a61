package io.streammetrics.prometheus;

import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 15 item 9: clients that send half a request header and stall must not take the endpoint down. 50 such
 * connections are held while {@code /metrics} and {@code /-/healthy} are asked, each with a 1 s request timeout (a
 * generous bound for an answer that takes milliseconds: the point is that they answer, not how fast); a stalled
 * connection is closed by the server after its idle timeout. Runs against the server's default thread count (2),
 * with and without authentication.
 */
class StalledConnectionsIT {
    private static final int STALLED = 50;
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
    private static final String TOKEN = "stall-token";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final List<Socket> stalled = new ArrayList<>();
    private MetricsEngine engine;
    private PrometheusHttpServer server;

    @BeforeEach
    void start() {
        engine = MetricsEngine.builder().backPressure(BackPressure.BLOCK).jvmMetrics(false).build().start();
        engine.counter("jobs_total").help("Jobs.").register().labels().add(3);
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : stalled) {
            socket.close();
        }
        if (server != null) {
            server.close();
        }
        engine.close();
    }

    /** Opens a connection and sends the request line and one header, never the blank line that ends them. */
    private Socket stall() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        stalled.add(socket);
        return socket;
    }

    /**
     * One unbounded scrape and health check before the stall: the first request of a cold JVM loads the server's
     * and the client's classes, measured above a second on a busy 2-core machine; the bound is about the stall.
     */
    private void warmUp(String... headers) throws Exception {
        for (String path : List.of("/metrics", "/-/healthy")) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
            if (headers.length > 0) {
                request.headers(headers);
            }
            assertEquals(200, client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        }
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(1));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void fiftyStalledConnectionsDoNotStopScrapesOrHealthChecks() throws Exception {
        server = PrometheusHttpServer.builder(engine).idleTimeout(IDLE_TIMEOUT).build();
        warmUp();
        for (int i = 0; i < STALLED; i++) {
            stall();
        }
        for (int round = 0; round < 3; round++) {
            HttpResponse<String> metrics = get("/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("jobs_total 3.0\n"), metrics.body());
            HttpResponse<String> healthy = get("/-/healthy");
            assertEquals(200, healthy.statusCode());
            assertEquals("Healthy", healthy.body());
        }
    }

    @Test
    void withAuthenticationToo() throws Exception {
        server = PrometheusHttpServer.builder(engine).idleTimeout(IDLE_TIMEOUT).bearerToken(TOKEN).build();
        warmUp("Authorization", "Bearer " + TOKEN);
        for (int i = 0; i < STALLED; i++) {
            stall();
        }
        HttpResponse<String> metrics = get("/metrics", "Authorization", "Bearer " + TOKEN);
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("jobs_total 3.0\n"), metrics.body());
        assertEquals(200, get("/-/healthy").statusCode());
    }

    @Test
    void aRequestWhoseHeadersDoNotCompleteIsClosed() throws Exception {
        server = PrometheusHttpServer.builder(engine).idleTimeout(IDLE_TIMEOUT).build();
        warmUp();
        Socket socket = stall();
        // Generous: the server closes after IDLE_TIMEOUT; this only keeps a broken server from hanging the test.
        socket.setSoTimeout(30_000);
        InputStream in = socket.getInputStream();
        long start = System.nanoTime();
        try {
            // Whatever the server says before closing (Jetty may answer 408), the stream must end.
            while (in.read() >= 0) {
                // drain
            }
        } catch (SocketTimeoutException e) {
            fail("the server kept a connection with incomplete headers open for 30 s");
        } catch (IOException e) {
            // A reset is a close too.
        }
        Duration held = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(held.compareTo(IDLE_TIMEOUT.minusMillis(500)) >= 0, "closed only after the idle timeout, took "
                + held);
        assertEquals(200, get("/-/healthy").statusCode());
    }
}
