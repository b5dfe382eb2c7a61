package io.streammetrics.prometheus;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Counter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrometheusHttpServerTest {
    private static final String PROTOBUF =
            "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private MetricsEngine engine;
    private PrometheusHttpServer server;

    @BeforeEach
    void start() {
        // BLOCK: these tests compare exported values with what was recorded, so a starved aggregator must not drop.
        // No JVM metrics: some tests compare two scrapes sample by sample, and the JVM's figures move between them.
        engine = MetricsEngine.builder().backPressure(io.streammetrics.BackPressure.BLOCK).jvmMetrics(false).build()
                .start();
        Counter jobs = engine.counter("jobs_total").help("Jobs.").labelNames("kind").register().labels("a");
        jobs.add(5);
        engine.timer("work").register().labels().record(2_000_000);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        engine.close();
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String body(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void defaultsToTextFormat004OnLoopbackEphemeralPort() throws Exception {
        server = PrometheusHttpServer.builder(engine).build();
        assertTrue(server.port() > 0);
        assertTrue(server.address().getAddress().isLoopbackAddress());
        HttpResponse<byte[]> response = get("/metrics");
        assertEquals(200, response.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(body(response).contains("jobs_total{kind=\"a\"} 5.0\n"), body(response));
        assertTrue(body(response).contains("work_seconds_count 1\n"));
        assertFalse(response.headers().firstValue("Content-Encoding").isPresent());
    }

    @Test
    void negotiatesOpenMetrics() throws Exception {
        server = PrometheusHttpServer.builder(engine).build();
        HttpResponse<byte[]> response = get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow()
                .startsWith("application/openmetrics-text; version=1.0.0"));
        assertTrue(body(response).endsWith("# EOF\n"));
        assertTrue(body(response).contains("# TYPE jobs counter\n"));
    }

    /**
     * Text 0.0.4 and OpenMetrics, plain and gzipped, come from {@link StoreTextWriter} by default (recognisable by
     * its registration order: client_java sorts families by name) with the same samples as client_java's writers,
     * which serve them when the store writer is disabled.
     */
    @Test
    void textFormatsComeFromTheStoreWriterUnlessDisabled() throws Exception {
        engine.gauge("zzz_registered_first").help("First.").register().labels().set(1);
        engine.gauge("aaa_registered_last").help("Last.").register().labels().set(2);
        String[][] requests = {
                {"Accept", "text/plain; version=0.0.4"},
                {"Accept", "application/openmetrics-text; version=1.0.0"},
                {"Accept", "text/plain; version=0.0.4", "Accept-Encoding", "gzip"},
                {"Accept", "application/openmetrics-text; version=1.0.0", "Accept-Encoding", "gzip"}};
        Map<String, String> byStore = new HashMap<>();
        server = PrometheusHttpServer.builder(engine).build();
        for (String[] headers : requests) {
            String text = text(get("/metrics", headers));
            assertTrue(text.indexOf("zzz_registered_first") < text.indexOf("aaa_registered_last"), text);
            byStore.put(String.join(" ", headers), text);
        }
        server.close();
        server = PrometheusHttpServer.builder(engine).storeTextWriter(false).build();
        for (String[] headers : requests) {
            String text = text(get("/metrics", headers));
            assertTrue(text.indexOf("aaa_registered_last") < text.indexOf("zzz_registered_first"), text);
            Map<String, Double> expected = withoutScrapeMetrics(TextFormatParser.samples(text));
            String store = byStore.get(String.join(" ", headers));
            assertEquals(expected, withoutScrapeMetrics(TextFormatParser.samples(store)));
        }
    }

    /** The body, gunzipped when it came compressed. */
    private static String text(HttpResponse<byte[]> response) throws IOException {
        assertEquals(200, response.statusCode());
        if (response.headers().firstValue("Content-Encoding").isEmpty()) {
            return body(response);
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Scrape self-metrics and the engine's own counters move between two scrapes; everything else must not. */
    private static Map<String, Double> withoutScrapeMetrics(Map<String, Double> samples) {
        Map<String, Double> kept = new HashMap<>(samples);
        kept.keySet().removeIf(key -> key.startsWith("streammetrics_"));
        return kept;
    }

    @Test
    void negotiatesProtobufWithNativeHistograms() throws Exception {
        server = PrometheusHttpServer.builder(engine).build();
        HttpResponse<byte[]> response = get("/metrics", "Accept", PROTOBUF);
        assertEquals(200, response.statusCode());
        assertEquals(PROTOBUF, response.headers().firstValue("Content-Type").orElseThrow());
        Map<String, Metrics.MetricFamily> families = new HashMap<>();
        try (InputStream in = new ByteArrayInputStream(response.body())) {
            Metrics.MetricFamily family;
            while ((family = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
                families.put(family.getName(), family);
            }
        }
        assertEquals(5.0, families.get("jobs_total").getMetric(0).getCounter().getValue());
        Metrics.Histogram work = families.get("work_seconds").getMetric(0).getHistogram();
        assertEquals(1, work.getSampleCount());
        assertEquals(7, work.getSchema());
        assertTrue(work.getPositiveSpanCount() > 0);
        assertTrue(work.getBucketCount() > 0, "classic buckets too");
    }

    @Test
    void gzipWhenAccepted() throws Exception {
        server = PrometheusHttpServer.builder(engine).build();
        HttpResponse<byte[]> plain = get("/metrics");
        HttpResponse<byte[]> zipped = get("/metrics", "Accept-Encoding", "deflate, gzip;q=0.8");
        assertEquals("gzip", zipped.headers().firstValue("Content-Encoding").orElseThrow());
        byte[] unzipped;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            unzipped = in.readAllBytes();
        }
        String text = new String(unzipped, StandardCharsets.UTF_8);
        assertTrue(text.contains("jobs_total{kind=\"a\"} 5.0\n"));
        // The self-metrics change between scrapes; the rest of the body is the same.
        assertEquals(body(plain).lines().filter(l -> l.startsWith("jobs")).toList(),
                text.lines().filter(l -> l.startsWith("jobs")).toList());
        HttpResponse<byte[]> refused = get("/metrics", "Accept-Encoding", "gzip;q=0");
        assertFalse(refused.headers().firstValue("Content-Encoding").isPresent());
    }

    @Test
    void gzipHeaderParsing() {
        assertTrue(MetricsHandler.acceptsGzip(List.of("gzip")));
        assertTrue(MetricsHandler.acceptsGzip(List.of("br, GZIP ;q=1")));
        assertFalse(MetricsHandler.acceptsGzip(List.of("gzip;q=0.0")));
        assertFalse(MetricsHandler.acceptsGzip(List.of("identity")));
        assertFalse(MetricsHandler.acceptsGzip(null));
    }

    @Test
    void nameFilterServesOnlyTheNamedFamilies() throws Exception {
        engine.gauge("queue").register().labels().set(3);
        engine.gauge("queue_depth").register().labels().set(4);
        server = PrometheusHttpServer.builder(engine).build();
        String all = body(get("/metrics"));
        assertTrue(all.contains("# TYPE queue gauge\n") && all.contains("# TYPE streammetrics_scrapes_total counter\n"), all);

        // client_java's semantics: a family is served when a requested name starts with its exported name, so a
        // counter matches by its _total name and a histogram by a sample name.
        String text = body(get("/metrics?name[]=jobs_total&name%5B%5D=work_seconds_count"));
        assertEquals(List.of("# TYPE jobs_total counter", "# TYPE work_seconds histogram"),
                text.lines().filter(l -> l.startsWith("# TYPE")).sorted().toList(), text);
        // ... which also makes queue_depth select queue (client_java's MetricNameFilter does the same).
        assertEquals(List.of("# TYPE queue gauge", "# TYPE queue_depth gauge"),
                body(get("/metrics?name[]=queue_depth")).lines().filter(l -> l.startsWith("# TYPE")).sorted().toList());
        assertTrue(text.contains("jobs_total{kind=\"a\"} 5.0\n"), text);

        // In every format, protobuf included.
        HttpResponse<byte[]> protobuf = get("/metrics?name[]=queue", "Accept", PROTOBUF);
        List<String> names = new ArrayList<>();
        try (InputStream in = new ByteArrayInputStream(protobuf.body())) {
            Metrics.MetricFamily family;
            while ((family = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
                names.add(family.getName());
            }
        }
        assertEquals(List.of("queue"), names);
        // Unknown names and other parameters: an empty or a full response.
        assertEquals("", body(get("/metrics?name[]=nothing")));
        assertEquals(all.lines().filter(l -> l.startsWith("# TYPE")).count(),
                body(get("/metrics?foo=bar")).lines().filter(l -> l.startsWith("# TYPE")).count());
    }

    @Test
    void nameParameterParsing() {
        assertEquals(List.of(), MetricsHandler.includedNames(null));
        assertEquals(List.of("a", "b c", "d"), MetricsHandler.includedNames("name[]=a&x=1&name%5B%5D=b+c&name[]=d&name[]"));
    }

    @Test
    void healthyAnswersWithoutAuth() throws Exception {
        server = PrometheusHttpServer.builder(engine).basicAuth("u", "p").build();
        HttpResponse<byte[]> response = get("/-/healthy");
        assertEquals(200, response.statusCode());
        assertEquals("Healthy", body(response));
    }

    @Test
    void basicAuth() throws Exception {
        server = PrometheusHttpServer.builder(engine).basicAuth("scraper", "sécret:x").build();
        HttpResponse<byte[]> none = get("/metrics");
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Basic realm="));
        assertEquals(401, get("/metrics", "Authorization", basic("scraper", "wrong")).statusCode());
        assertEquals(401, get("/metrics", "Authorization", "Basic !!notbase64").statusCode());
        assertEquals(401, get("/metrics", "Authorization", "Bearer sécret:x").statusCode());
        assertEquals(200, get("/metrics", "Authorization", basic("scraper", "sécret:x")).statusCode());
    }

    @Test
    void bearerToken() throws Exception {
        server = PrometheusHttpServer.builder(engine).bearerToken("t0ken").build();
        HttpResponse<byte[]> none = get("/metrics");
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Bearer realm="));
        assertEquals(401, get("/metrics", "Authorization", "Bearer t0ke").statusCode());
        assertEquals(200, get("/metrics", "Authorization", "Bearer t0ken").statusCode());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void mountedHandlersAreServedBehindTheSameAuth() throws Exception {
        server = PrometheusHttpServer.builder(engine).bearerToken("t").build();
        server.mount("/custom", exchange -> {
            try (exchange) {
                byte[] body = "mounted".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        assertEquals(401, get("/custom").statusCode());
        HttpResponse<byte[]> response = get("/custom", "Authorization", "Bearer t");
        assertEquals(200, response.statusCode());
        assertEquals("mounted", body(response));
        assertEquals(404, get("/nothing", "Authorization", "Bearer t").statusCode());
    }

    @Test
    void otherMethodsAreRejected() throws Exception {
        server = PrometheusHttpServer.builder(engine).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, response.statusCode());
    }

    @Test
    void concurrentScrapesAreSafeWhileRecording() throws Exception {
        server = PrometheusHttpServer.builder(engine).build();
        Counter events = engine.counter("events").register().labels();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        CountDownLatch go = new CountDownLatch(1);
        try {
            Future<?> recorder = pool.submit(() -> {
                go.await();
                for (int i = 0; i < 200_000; i++) {
                    events.increment();
                }
                return null;
            });
            List<Future<List<Double>>> scrapers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                scrapers.add(pool.submit(() -> {
                    go.await();
                    List<Double> seen = new ArrayList<>();
                    for (int i = 0; i < 25; i++) {
                        HttpResponse<byte[]> response = get("/metrics");
                        assertEquals(200, response.statusCode());
                        String line = body(response).lines().filter(l -> l.startsWith("events_total ")).findFirst()
                                .orElseThrow();
                        seen.add(Double.parseDouble(line.substring("events_total ".length())));
                    }
                    return seen;
                }));
            }
            go.countDown();
            recorder.get(30, TimeUnit.SECONDS);
            for (Future<List<Double>> scraper : scrapers) {
                List<Double> seen = scraper.get(30, TimeUnit.SECONDS);
                for (int i = 1; i < seen.size(); i++) {
                    assertTrue(seen.get(i) >= seen.get(i - 1), "a counter never goes down: " + seen);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        String last = body(get("/metrics"));
        assertTrue(last.contains("events_total 200000.0\n"));
    }

    @Test
    void scrapesAreCountedInTheEngine() throws Exception {
        server = PrometheusHttpServer.builder(engine).build();
        get("/metrics");
        get("/metrics");
        String text = body(get("/metrics"));
        // The third scrape shows the first two (each is recorded after its response is sent).
        double scrapes = value(text, "streammetrics_scrapes_total ");
        assertTrue(scrapes >= 2, text);
        assertTrue(value(text, "streammetrics_scrape_duration_seconds_count ") >= 2);
        assertEquals(0, value(text, "streammetrics_scrape_errors_total "));
    }

    @Test
    void failedScrapeAnswers500AndIsCounted() throws Exception {
        server = PrometheusHttpServer.builder(engine).source(() -> {
            throw new IllegalStateException("boom");
        }).build();
        HttpResponse<byte[]> response = get("/metrics");
        assertEquals(500, response.statusCode());
        assertTrue(body(response).contains("boom"));
        var errors = engine.snapshot().family("streammetrics_scrape_errors").points().get(0);
        assertEquals(1.0, ((io.streammetrics.snapshot.CounterPoint) errors).value());
    }

    @Test
    void closeStopsListening() throws Exception {
        server = PrometheusHttpServer.builder(engine).build();
        int port = server.port();
        server.close();
        server.close();
        assertThrowsIo(() -> client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofByteArray()));
        server = null;
    }

    private interface IoCall {
        void run() throws Exception;
    }

    private static void assertThrowsIo(IoCall call) {
        try {
            call.run();
        } catch (IOException expected) {
            return;
        } catch (Exception e) {
            throw new AssertionError("expected an IOException, got " + e, e);
        }
        throw new AssertionError("expected the connection to fail");
    }

    private static double value(String text, String prefix) {
        return Double.parseDouble(text.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + " in\n" + text)).substring(prefix.length()));
    }
}
