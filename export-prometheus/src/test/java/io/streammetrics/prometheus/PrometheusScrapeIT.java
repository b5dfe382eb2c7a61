package io.streammetrics.prometheus;

import io.streammetrics.testing.TestServers;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBucket;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.streammetrics.MetricsEngine;
import io.streammetrics.internal.exponential.ExponentialBucketMapping;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.Histogram;
import io.streammetrics.metric.Timer;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.MetricsSnapshot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real Prometheus 2.53 (native histograms enabled, classic buckets kept) scrapes the endpoint over protobuf with
 * a bearer token; its query API must return the engine's values.
 */
class PrometheusScrapeIT {
    private static final String TOKEN = "scrape-token";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static MetricsEngine engine;
    private static PrometheusHttpServer server;
    private static PrometheusCollector collector;
    private static Process prometheus;
    private static Path workDir;
    private static int prometheusPort;
    private static ScheduledExecutorService ticker;

    @BeforeAll
    static void start() throws Exception {
        // BLOCK: these tests compare exported values with what was recorded, so a starved aggregator must not drop.
        engine = MetricsEngine.builder().backPressure(io.streammetrics.BackPressure.BLOCK).build().start();
        ExampleMetrics.populate(engine);
        Random random = new Random(11);
        Timer latency = engine.timer("it_latency").help("Latency for quantile checks.").register().labels();
        Histogram values = engine.histogram("it_values").help("Values for quantile checks.").register().labels();
        Timer window = engine.timer("it_window").help("Latency exported as a summary.").register().labels();
        for (int i = 0; i < 20_000; i++) {
            latency.record((long) (2e6 * Math.exp(random.nextGaussian())));
            values.record(1 + (long) Math.exp(random.nextDouble() * 14));
            window.record((long) (3e6 * Math.exp(random.nextGaussian())));
        }
        // 100 per 100 ms: a rate of about 1000/s.
        Counter events = engine.counter("it_events").help("Steady events for rate().").register().labels();
        ticker = Executors.newSingleThreadScheduledExecutor();
        ticker.scheduleAtFixedRate(() -> events.add(100), 0, 100, TimeUnit.MILLISECONDS);

        // A 10-minute window: it_window's values (recorded above, registered just before) all stay inside it.
        collector = PrometheusCollector.builder(engine).summary("it_window", Duration.ofMinutes(10)).build();
        server = PrometheusHttpServer.builder(collector).bearerToken(TOKEN).build();

        workDir = Files.createTempDirectory(Path.of("target"), "prometheus-it");
        prometheusPort = freePort();
        Path config = workDir.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  scrape_timeout: 1s",
                "scrape_configs:",
                "  - job_name: streammetrics",
                // Keep the classic buckets next to the native ones, to query both.
                "    scrape_classic_histograms: true",
                "    authorization:",
                "      credentials: " + TOKEN,
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + server.port() + "']",
                ""));
        prometheus = new ProcessBuilder(TestServers.path("PROMETHEUS").toString(),
                "--config.file=" + config.toAbsolutePath(),
                "--web.listen-address=127.0.0.1:" + prometheusPort,
                "--storage.tsdb.path=" + workDir.resolve("data").toAbsolutePath(),
                "--enable-feature=native-histograms")
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("prometheus.log").toFile())
                .start();
        poll("Prometheus ready", () -> {
            HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + prometheusPort + "/-/ready")).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? "" : null;
        });
        poll("target up", () -> {
            List<Sample> up = query("up{job=\"streammetrics\"}");
            return up.size() == 1 && up.get(0).value == 1 ? "" : null;
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
        if (ticker != null) {
            ticker.shutdownNow();
        }
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private interface Check {
        String attempt() throws Exception;
    }

    /** Retries {@code check} until it returns non-null, failing after {@link #TIMEOUT} with the last problem. */
    private static String poll(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!prometheus.isAlive()) {
                throw new AssertionError("Prometheus exited: " + Files.readString(workDir.resolve("prometheus.log")));
            }
            try {
                String result = check.attempt();
                if (result != null) {
                    return result;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + what + "; Prometheus log:\n"
                + Files.readString(workDir.resolve("prometheus.log")), last);
    }

    /** One instant-vector sample: its labels as JSON text and its value. */
    private record Sample(String metricJson, double value) {
    }

    private static final Pattern RESULT = Pattern.compile(
            "\\{\"metric\":(\\{[^}]*\\}),\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]\\}");

    /** Runs an instant query; fails on a non-success answer. */
    private static List<Sample> query(String promQl) throws IOException, InterruptedException {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort
                + "/api/v1/query?query=" + URLEncoder.encode(promQl, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        List<Sample> samples = new ArrayList<>();
        Matcher matcher = RESULT.matcher(response.body());
        while (matcher.find()) {
            samples.add(new Sample(matcher.group(1), Double.parseDouble(matcher.group(2))));
        }
        return samples;
    }

    private static double single(String promQl, Predicate<Double> accept) throws Exception {
        return Double.parseDouble(poll(promQl, () -> {
            List<Sample> samples = query(promQl);
            return samples.size() == 1 && accept.test(samples.get(0).value) ? Double.toString(samples.get(0).value) : null;
        }));
    }

    @Test
    void countersGaugesAndOverflowMatchTheEngine() throws Exception {
        assertEquals(10, single("example_requests_total{path=\"/a\"}", v -> true));
        assertEquals(5, single("example_requests_total{otel_metric_overflow=\"true\"}", v -> true));
        assertEquals(1024, single("example_sent_bytes_total", v -> true));
        assertEquals(7, single("example_queue_depth", v -> true));
    }

    @Test
    void specialLabelValuesRoundTrip() throws Exception {
        // JSON escapes of the value: quote, backslash, newline; UTF-8 as is.
        String expected = "\"path\":\"q\\\"uo\\\\te\\nline ünïcødé ✓\"";
        String metric = poll("special label", () -> {
            for (Sample sample : query("example_requests_total")) {
                if (sample.metricJson.contains(expected) && sample.value == 3) {
                    return sample.metricJson;
                }
            }
            return null;
        });
        assertTrue(metric.contains(expected), metric);
    }

    @Test
    void rateOfASteadyCounter() throws Exception {
        // Wait for a full window of samples: rate() over a series younger than its window under-extrapolates.
        single("count_over_time(it_events_total[10s])", v -> v >= 9);
        // The ticker adds about 1000/s; aggregator batching and scrape jitter blur the window a little.
        double rate = query("rate(it_events_total[10s])").get(0).value;
        assertTrue(rate > 500 && rate < 1500, "rate " + rate);
    }

    @Test
    void nativeQuantileMatchesTheEngineWithinTheStatedBound() throws Exception {
        // The histograms were recorded once at setup, so the snapshot holds what the collect read.
        HistogramSnapshot exported = (HistogramSnapshot) find(collector.collect(), "it_latency_seconds");
        MetricsSnapshot snapshot = engine.snapshot();
        int schema = exported.getDataPoints().get(0).getNativeSchema();
        double bound = new ExponentialBucketMapping(engine.histogramLayout(), 1e9, schema, -4, 0).relativeError(schema);
        for (double q : new double[] {0.5, 0.9, 0.99}) {
            double prometheus = single("histogram_quantile(" + q + ", it_latency_seconds)", v -> !v.isNaN());
            HistogramPoint point = (HistogramPoint) snapshot.family("it_latency").points().get(0);
            double hdr = point.toHdrHistogram().getValueAtPercentile(q * 100) / 1e9;
            assertTrue(Math.abs(prometheus - hdr) / hdr <= bound, "q=" + q + ": Prometheus " + prometheus + ", HDR " + hdr);
            // And the test's emulation of Prometheus' rule, used by the unit tests, is Prometheus' own.
            double emulated = PromQlQuantile.nativeQuantile(q, exported.getDataPoints().get(0));
            assertEquals(emulated, prometheus, emulated * 1e-9, "q=" + q);
        }
        double prometheus = single("histogram_quantile(0.99, it_values)", v -> !v.isNaN());
        double hdr = ((HistogramPoint) snapshot.family("it_values").points().get(0)).toHdrHistogram()
                .getValueAtPercentile(99);
        int valuesSchema = ((HistogramSnapshot) find(collector.collect(), "it_values")).getDataPoints().get(0)
                .getNativeSchema();
        double valuesBound = new ExponentialBucketMapping(engine.histogramLayout(), 1, valuesSchema, -4, 0)
                .relativeError(valuesSchema);
        assertTrue(Math.abs(prometheus - hdr) / hdr <= valuesBound, "Prometheus " + prometheus + ", HDR " + hdr);
    }

    @Test
    void summaryQuantilesCountAndSumArriveOverProtobuf() throws Exception {
        org.HdrHistogram.Histogram hdr =
                ((HistogramPoint) engine.snapshot().family("it_window").points().get(0)).toHdrHistogram();
        for (double q : new double[] {0.5, 0.9, 0.95, 0.99}) {
            double expected = hdr.getValueAtPercentile(q * 100) / 1e9;
            double prometheus = single("it_window_seconds{quantile=\"" + q + "\"}", v -> !v.isNaN());
            assertEquals(expected, prometheus, expected * 1e-12, "q=" + q);
        }
        assertEquals(20_000, single("it_window_seconds_count", v -> true));
        HistogramPoint point = (HistogramPoint) engine.snapshot().family("it_window").points().get(0);
        assertEquals(point.sum() / 1e9, single("it_window_seconds_sum", v -> true), 1e-6);
        // A summary, not a histogram: no buckets were ingested.
        assertTrue(query("it_window_seconds_bucket").isEmpty());
        assertTrue(query("histogram_count(it_window_seconds)").isEmpty());
    }

    @Test
    void classicQuantileIsComputedFromTheExportedBuckets() throws Exception {
        HistogramSnapshot exported = (HistogramSnapshot) find(collector.collect(), "it_latency_seconds");
        MetricsSnapshot snapshot = engine.snapshot();
        HistogramSnapshot.HistogramDataPointSnapshot point = exported.getDataPoints().get(0);
        for (double q : new double[] {0.5, 0.99}) {
            double prometheus = single("histogram_quantile(" + q + ", it_latency_seconds_bucket)", v -> !v.isNaN());
            double expected = classicQuantile(q, point);
            assertEquals(expected, prometheus, expected * 1e-9, "q=" + q);
            // The true quantile lies in the same classic bucket, give or take one HDR bucket at its edges.
            double hdr = ((HistogramPoint) snapshot.family("it_latency").points().get(0)).toHdrHistogram()
                    .getValueAtPercentile(q * 100) / 1e9;
            double[] range = classicBucketRange(q, point);
            double width = engine.histogramLayout().relativeBucketWidth();
            assertTrue(hdr >= range[0] * (1 - width) && hdr <= range[1] * (1 + width),
                    "q=" + q + ": HDR " + hdr + " outside the classic bucket " + range[0] + ".." + range[1]);
        }
    }

    /** Prometheus' bucketQuantile for classic buckets (linear interpolation; first bucket's lower bound 0). */
    private static double classicQuantile(double q, HistogramSnapshot.HistogramDataPointSnapshot point) {
        double rank = q * point.getCount();
        double lower = 0;
        long cumulative = 0;
        for (ClassicHistogramBucket bucket : point.getClassicBuckets()) {
            long before = cumulative;
            cumulative += bucket.getCount();
            if (cumulative >= rank) {
                if (bucket.getUpperBound() == Double.POSITIVE_INFINITY) {
                    return lower;
                }
                return lower + (bucket.getUpperBound() - lower) * ((rank - before) / (double) bucket.getCount());
            }
            lower = bucket.getUpperBound();
        }
        return Double.NaN;
    }

    private static double[] classicBucketRange(double q, HistogramSnapshot.HistogramDataPointSnapshot point) {
        double rank = q * point.getCount();
        double lower = 0;
        long cumulative = 0;
        for (ClassicHistogramBucket bucket : point.getClassicBuckets()) {
            cumulative += bucket.getCount();
            if (cumulative >= rank) {
                return new double[] {lower, bucket.getUpperBound()};
            }
            lower = bucket.getUpperBound();
        }
        throw new AssertionError();
    }

    private static MetricSnapshot find(Iterable<MetricSnapshot> snapshots, String name) {
        for (MetricSnapshot s : snapshots) {
            if (s.getMetadata().getPrometheusName().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no " + name);
    }
}
