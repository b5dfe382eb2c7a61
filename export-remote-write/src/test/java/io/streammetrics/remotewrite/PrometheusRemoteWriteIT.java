package io.streammetrics.remotewrite;

import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Timer;
import io.streammetrics.push.Expected;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.testing.NativeHistogramBound;
import io.streammetrics.testing.PrometheusServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pushes to a real Prometheus 2.53 remote-write receiver (native histograms on) and reads the series back with
 * PromQL: counter totals, gauges, classic histogram buckets, sums and counts exactly as the engine's snapshot has
 * them; native histograms with the snapshot's count and sum, at most 160 buckets, and {@code histogram_quantile}
 * within the mapping's stated error of the exact quantile.
 */
class PrometheusRemoteWriteIT {
    private static PrometheusServer prometheus;

    @BeforeAll
    static void startPrometheus() throws Exception {
        prometheus = PrometheusServer.startRemoteWriteReceiver(
                Files.createTempDirectory(Path.of("target"), "prometheus-rw"), "native-histograms");
    }

    @AfterAll
    static void stopPrometheus() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @Test
    void pushedSeriesEqualTheEngineSnapshot() throws Exception {
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).build().start()) {
            ItMetrics metrics = new ItMetrics(engine);
            try (RemoteWriteExporter exporter = RemoteWriteExporter.builder(engine)
                    .endpoint(prometheus.remoteWriteUrl())
                    .externalLabel("job", "prometheus-it")
                    .externalLabel("instance", "engine-1")
                    .interval(Duration.ofHours(1))
                    .build()) {
                for (int round = 1; round <= 3; round++) {
                    metrics.record(2_000);
                    assertTrue(exporter.flush(Duration.ofSeconds(30)), "Prometheus took push " + round);
                    Expected expected = metrics.expected(engine.snapshot(), "job=\"prometheus-it\",instance=\"engine-1\"");
                    expected.assertStored(prometheus::single, "Prometheus after push " + round);
                }
            }
        }
    }

    @Test
    void nativeHistogramsAsPrometheusStoresAndQueriesThem() throws Exception {
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).build().start()) {
            Timer wide = engine.timer("rw_native_wide").register().labels();
            Timer both = engine.timer("rw_native_both").register().labels();
            SplittableRandom random = new SplittableRandom(19);
            long[] values = new long[20_000];
            for (int i = 0; i < values.length; i++) {
                // Six decades, 1 us to 1 s: the schema must come down from 8 to fit 160 buckets.
                values[i] = (long) Math.pow(10, 3 + 6 * random.nextDouble());
                wide.record(values[i]);
                both.record(values[i] / 7 + 1);
            }
            Arrays.sort(values);
            try (RemoteWriteExporter exporter = RemoteWriteExporter.builder(engine)
                    .endpoint(prometheus.remoteWriteUrl())
                    .histogramFormat("rw_native_wide", HistogramFormat.NATIVE)
                    .histogramFormat("rw_native_both", HistogramFormat.BOTH)
                    .interval(Duration.ofHours(1))
                    .build()) {
                assertTrue(exporter.flush(Duration.ofSeconds(30)), "Prometheus took the native histograms");
            }
            HistogramPoint point = (HistogramPoint) engine.snapshot().family("rw_native_wide").point();
            prometheus.awaitNativeHistograms("rw_native_wide_seconds", h -> h.size() == 1, Duration.ofSeconds(30));
            int schema = NativeHistogramBound.assertBounded(prometheus, "rw_native_wide_seconds", values, 1e9,
                    engine.histogramLayout(), 160, new double[] {0.1, 0.5, 0.9, 0.99});
            assertTrue(schema < 8, "schema " + schema);
            assertEquals(point.count(), prometheus.single("histogram_count(rw_native_wide_seconds)"));
            assertEquals(point.sum() / 1e9, prometheus.single("histogram_sum(rw_native_wide_seconds)"));
            assertTrue(prometheus.values("rw_native_wide_seconds_count").isEmpty(), "NATIVE sends no classic series");

            HistogramPoint bothPoint = (HistogramPoint) engine.snapshot().family("rw_native_both").point();
            assertEquals(bothPoint.count(), prometheus.single("histogram_count(rw_native_both_seconds)"));
            assertEquals(bothPoint.count(), prometheus.single("rw_native_both_seconds_count"));
            assertEquals(bothPoint.count(), prometheus.single("rw_native_both_seconds_bucket{le=\"+Inf\"}"));
        }
    }
}
