package io.streammetrics.remotewrite;

import io.streammetrics.MetricsEngine;
import io.streammetrics.push.Expected;
import io.streammetrics.push.VictoriaMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pushes to a real VictoriaMetrics 1.112 remote-write receiver and reads every series back exactly. */
class VictoriaMetricsRemoteWriteIT {
    private static VictoriaMetrics victoria;

    @BeforeAll
    static void startVictoriaMetrics() throws Exception {
        victoria = new VictoriaMetrics(Files.createTempDirectory(Path.of("target"), "victoria-rw")).start();
    }

    @AfterAll
    static void stopVictoriaMetrics() throws Exception {
        if (victoria != null) {
            victoria.close();
        }
    }

    @Test
    void pushedSeriesEqualTheEngineSnapshot() throws Exception {
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).build().start()) {
            ItMetrics metrics = new ItMetrics(engine);
            try (RemoteWriteExporter exporter = RemoteWriteExporter.builder(engine)
                    .endpoint(victoria.remoteWriteUrl())
                    .externalLabel("job", "victoria-it")
                    .interval(Duration.ofHours(1))
                    .build()) {
                for (int round = 1; round <= 3; round++) {
                    metrics.record(2_000);
                    assertTrue(exporter.flush(Duration.ofSeconds(30)), "VictoriaMetrics took push " + round);
                    Expected expected = metrics.expected(engine.snapshot(), "job=\"victoria-it\"");
                    expected.assertStored(q -> victoria.api().single(q), "VictoriaMetrics after push " + round);
                }
            }
        }
    }
}
