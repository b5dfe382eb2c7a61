package io.streammetrics.prometheus;

import io.streammetrics.EngineState;
import io.streammetrics.MetricsEngine;
import io.streammetrics.testing.FaultyIdleStrategy;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failed engine is visible in the scrape (issue 15, item 2): {@code /metrics} answers 500 naming the failure in
 * every format, rather than serving the store's frozen values as if they were current.
 */
class FailedEngineScrapeTest {
    private static final String PROTOBUF =
            "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

    @Test
    void aFailedEngineScrapesAs500WithTheCause() throws Exception {
        FaultyIdleStrategy failing = new FaultyIdleStrategy();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (MetricsEngine engine = MetricsEngine.builder().idleStrategy(failing).jvmMetrics(false).build().start();
             PrometheusHttpServer server = PrometheusHttpServer.builder(engine).build()) {
            engine.counter("jobs_total").register().labels().add(3);
            URI metrics = URI.create("http://127.0.0.1:" + server.port() + "/metrics");
            assertEquals(200, client.send(HttpRequest.newBuilder(metrics).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());

            failing.throwNext(new OutOfMemoryError("injected into the aggregator"));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (engine.state() != EngineState.FAILED) {
                assertTrue(System.nanoTime() < deadline, "engine did not fail");
                Thread.sleep(1);
            }
            for (String accept : new String[] {"text/plain", "application/openmetrics-text", PROTOBUF}) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(metrics)
                        .header("Accept", accept).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(500, response.statusCode(), accept);
                assertTrue(response.body().contains("injected into the aggregator"), accept + ": " + response.body());
            }
        }
    }
}
