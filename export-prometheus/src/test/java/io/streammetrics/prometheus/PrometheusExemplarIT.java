package io.streammetrics.prometheus;

import io.streammetrics.MetricsEngine;
import io.streammetrics.exemplar.ExemplarLabels;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.Timer;
import io.streammetrics.testing.PrometheusServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, item 2: a real Prometheus 2.53 with {@code --enable-feature=exemplar-storage,native-histograms} scrapes
 * the endpoint twice, once in OpenMetrics text and once in protobuf (classic buckets kept beside native ones), and
 * {@code /api/v1/query_exemplars} returns the trace ids the engine recorded, on classic buckets, native histograms
 * and counters.
 */
class PrometheusExemplarIT {
    private static final String TRACE_2MS = "00000000000000aa00000000000000bb";
    private static final String TRACE_700MS = "00000000000000cc00000000000000dd";
    private static final String COUNTER_TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static MetricsEngine engine;
    private static PrometheusHttpServer server;
    private static PrometheusServer prometheus;

    @BeforeAll
    static void start() throws Exception {
        engine = MetricsEngine.builder().jvmMetrics(false).build().start();
        Timer latency = engine.timer("ex_latency").help("Latency with exemplars.").register().labels();
        Counter requests = engine.counter("ex_requests").help("Requests with exemplars.").register().labels();
        ExemplarLabels tenant = engine.exemplarLabels("tenant", "acme");
        latency.recordWithExemplar(2_000_000, 0xaa, 0xbb, 0x11, tenant);          // 2 ms
        Thread.sleep(150);                                                       // past the sample interval
        latency.recordWithExemplar(700_000_000, 0xcc, 0xdd, 0x22);               // 700 ms: another bucket
        requests.incrementWithExemplar(0x0af7651916cd43ddL, 0x8448eb211c80319cL, 0xb7ad6b7169203331L);

        server = PrometheusHttpServer.builder(PrometheusCollector.builder(engine).build()).build();
        Path workDir = Files.createTempDirectory(Path.of("target"), "prometheus-exemplar-it");
        String target = "    static_configs: [{targets: ['127.0.0.1:" + server.port() + "']}]\n";
        prometheus = PrometheusServer.start(workDir, "global:\n"
                + "  scrape_interval: 1s\n"
                + "  scrape_timeout: 1s\n"
                + "scrape_configs:\n"
                + "  - job_name: openmetrics\n"
                + "    scrape_protocols: [OpenMetricsText1.0.0]\n"
                + target
                + "  - job_name: protobuf\n"
                + "    scrape_protocols: [PrometheusProto]\n"
                + "    scrape_classic_histograms: true\n"
                + target, "exemplar-storage", "native-histograms");
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static String traceId(Map<String, Object> exemplar) {
        return (String) ((Map<String, Object>) exemplar.get("labels")).get("trace_id");
    }

    /** Polls the exemplar API until {@code done} accepts its answer. */
    private static List<Map<String, Object>> await(String promql, Predicate<List<Map<String, Object>>> done)
            throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<Map<String, Object>> last = List.of();
        while (System.nanoTime() < deadline) {
            last = prometheus.exemplars(promql);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out waiting for exemplars of " + promql + "; last answer " + last
                + prometheus.logText());
    }

    private static boolean hasTrace(List<Map<String, Object>> exemplars, String trace) {
        return exemplars.stream().anyMatch(e -> trace.equals(traceId(e)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void openMetricsScrapeKeepsTheBucketExemplarsWithTheirTraceIds() throws Exception {
        List<Map<String, Object>> exemplars = await("ex_latency_seconds_bucket{job=\"openmetrics\"}",
                found -> hasTrace(found, TRACE_2MS) && hasTrace(found, TRACE_700MS));
        Map<String, Object> fast = exemplars.stream().filter(e -> TRACE_2MS.equals(traceId(e))).findFirst()
                .orElseThrow();
        assertEquals("0.002", fast.get("value"), fast::toString);
        Map<String, Object> labels = (Map<String, Object>) fast.get("labels");
        assertEquals("0000000000000011", labels.get("span_id"));
        assertEquals("acme", labels.get("tenant"));
        assertEquals("0.005", ((Map<String, Object>) fast.get("seriesLabels")).get("le"), fast::toString);
        Map<String, Object> slow = exemplars.stream().filter(e -> TRACE_700MS.equals(traceId(e))).findFirst()
                .orElseThrow();
        // client_java's default bounds: 0.5 < 0.7 <= 1.
        assertEquals("1.0", ((Map<String, Object>) slow.get("seriesLabels")).get("le"), slow::toString);
    }

    @Test
    void openMetricsScrapeKeepsTheCounterExemplar() throws Exception {
        await("ex_requests_total{job=\"openmetrics\"}", found -> hasTrace(found, COUNTER_TRACE));
    }

    @Test
    void protobufScrapeKeepsClassicBucketAndCounterExemplars() throws Exception {
        await("ex_latency_seconds_bucket{job=\"protobuf\"}",
                found -> hasTrace(found, TRACE_2MS) && hasTrace(found, TRACE_700MS));
        await("ex_requests_total{job=\"protobuf\"}", found -> hasTrace(found, COUNTER_TRACE));
    }

    @Test
    void protobufScrapeKeepsNativeHistogramExemplars() throws Exception {
        List<Map<String, Object>> exemplars = await("ex_latency_seconds{job=\"protobuf\"}",
                found -> hasTrace(found, TRACE_700MS));
        assertTrue(exemplars.stream().allMatch(e -> traceId(e).length() == 32), exemplars::toString);
    }
}
