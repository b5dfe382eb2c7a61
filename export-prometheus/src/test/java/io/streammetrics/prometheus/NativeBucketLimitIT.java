package io.streammetrics.prometheus;

import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.HistogramFamily;
import io.streammetrics.metric.TimerFamily;
import io.streammetrics.testing.LogUniform;
import io.streammetrics.testing.NativeHistogramBound;
import io.streammetrics.testing.PrometheusServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Prometheus 2.53 with native histograms scrapes timers whose values spread over six decades (1 us to 1 s),
 * a histogram over three and a half and a narrow timer: every native histogram it stores has at most 160 buckets (read back over
 * its HTTP API, as it lists them and as the populated range), each at the schema its range allows, and
 * {@code histogram_quantile} over each is within the stated bound of the exact quantile of the recorded values.
 */
class NativeBucketLimitIT {
    private static final String TOKEN = "limit-token";
    private static final int VALUES = 20_000;
    private static final double[] QUANTILES = {0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999};

    private static MetricsEngine engine;
    private static PrometheusHttpServer server;
    private static PrometheusServer prometheus;
    private static long[][] sixDecades;
    private static long[] threeDecades;
    private static long[] narrow;

    @BeforeAll
    static void start() throws Exception {
        engine = MetricsEngine.builder().backPressure(BackPressure.BLOCK).build().start();
        SplittableRandom random = new SplittableRandom(19);
        TimerFamily latency = engine.timer("limit_latency").help("Six decades.").labelNames("shard").register();
        sixDecades = new long[3][];
        for (int s = 0; s < sixDecades.length; s++) {
            sixDecades[s] = LogUniform.sorted(random, VALUES, 1_000, 1e6);
            latency.labels("s" + s).recordBatch(sixDecades[s], 0, VALUES);
        }
        HistogramFamily sizes = engine.histogram("limit_sizes").help("Three and a half decades.").register();
        threeDecades = LogUniform.sorted(random, VALUES, 100, 3e3);
        sizes.labels().recordBatch(threeDecades, 0, VALUES);
        TimerFamily steady = engine.timer("limit_steady").help("Within a factor 2.").register();
        narrow = LogUniform.sorted(random, VALUES, 400_000, 2);
        steady.labels().recordBatch(narrow, 0, VALUES);
        engine.snapshot();

        server = PrometheusHttpServer.builder(PrometheusCollector.of(engine)).bearerToken(TOKEN).build();
        prometheus = PrometheusServer.start(Files.createTempDirectory(Path.of("target"), "prometheus-limit"),
                String.join("\n",
                        "global:",
                        "  scrape_interval: 1s",
                        "  scrape_timeout: 1s",
                        "scrape_configs:",
                        "  - job_name: streammetrics",
                        "    authorization:",
                        "      credentials: " + TOKEN,
                        "    static_configs:",
                        "      - targets: ['127.0.0.1:" + server.port() + "']",
                        ""),
                "native-histograms");
        prometheus.awaitNativeHistograms("limit_latency_seconds", found -> found.size() == 3, Duration.ofSeconds(60));
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

    @Test
    void everyStoredNativeHistogramHasAtMost160Buckets() throws Exception {
        // The three families' five series, and the engine's own histograms if it has any.
        List<PrometheusServer.NativeHistogram> all = prometheus.awaitNativeHistograms("{job=\"streammetrics\"}",
                found -> found.size() >= 5, Duration.ofSeconds(30));
        for (PrometheusServer.NativeHistogram histogram : all) {
            assertTrue(histogram.buckets().size() <= 160, histogram + " lists " + histogram.buckets().size());
            if (!histogram.buckets().isEmpty()) {
                assertTrue(histogram.populatedRange() <= 160, histogram + " spans " + histogram.populatedRange());
            }
        }
    }

    @Test
    void sixDecadesKeepTheirQuantilesWithinTheStatedBound() throws Exception {
        for (int s = 0; s < sixDecades.length; s++) {
            int schema = NativeHistogramBound.assertBounded(prometheus, "limit_latency_seconds{shard=\"s" + s + "\"}",
                    sixDecades[s], 1e9, engine.histogramLayout(), 160, QUANTILES);
            // Six decades in 160 buckets: schema 2 (19.4%), or 3 where the range happens to fit.
            assertTrue(schema == 2 || schema == 3, "schema " + schema);
        }
    }

    @Test
    void narrowerRangesKeepAFinerSchema() throws Exception {
        int sizes = NativeHistogramBound.assertBounded(prometheus, "limit_sizes", threeDecades, 1,
                engine.histogramLayout(), 160, QUANTILES);
        assertEquals(3, sizes, "three and a half decades: schema 3, 9.5%");
        int steady = NativeHistogramBound.assertBounded(prometheus, "limit_steady_seconds", narrow, 1e9,
                engine.histogramLayout(), 160, QUANTILES);
        assertEquals(7, steady, "a factor 2 fits 160 buckets at the HDR precision's schema");
    }
}
