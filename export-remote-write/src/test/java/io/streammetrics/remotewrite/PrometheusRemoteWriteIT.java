package io.streammetrics.remotewrite;

import io.streammetrics.MetricsEngine;
import io.streammetrics.push.Expected;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pushes to a real Prometheus 2.53 remote-write receiver and reads the series back with PromQL: counter totals,
 * gauges, classic histogram buckets, sums and counts exactly as the engine's snapshot has them.
 */
class PrometheusRemoteWriteIT {
    private static PrometheusReceiver prometheus;

    @BeforeAll
    static void startPrometheus() throws Exception {
        prometheus = new PrometheusReceiver(Files.createTempDirectory(Path.of("target"), "prometheus-rw")).start();
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
                    expected.assertStored(q -> prometheus.api().single(q), "Prometheus after push " + round);
                }
            }
        }
    }
}
