package io.streammetrics.influx;

import io.streammetrics.MetricsEngine;
import io.streammetrics.push.Expected;
import io.streammetrics.push.VictoriaMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pushes line protocol to a real VictoriaMetrics' InfluxDB endpoint ({@code /write}) and reads every field back
 * with PromQL, where a field is the series {@code <measurement>_<field>} and tags are labels.
 */
class VictoriaMetricsLineProtocolIT {
    private static VictoriaMetrics victoria;

    @BeforeAll
    static void startVictoriaMetrics() throws Exception {
        victoria = new VictoriaMetrics(Files.createTempDirectory(Path.of("target"), "victoria-influx")).start();
    }

    @AfterAll
    static void stopVictoriaMetrics() throws Exception {
        if (victoria != null) {
            victoria.close();
        }
    }

    @Test
    void pushedFieldsEqualTheEngineSnapshot() throws Exception {
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).build().start()) {
            InfluxItMetrics metrics = new InfluxItMetrics(engine);
            try (InfluxExporter exporter = InfluxExporter.builder(engine)
                    .endpoint(victoria.baseUrl())
                    .database("metrics")
                    .externalLabel("host", "victoria")
                    .gzip(true)
                    .interval(Duration.ofHours(1))
                    .build()) {
                for (int round = 1; round <= 2; round++) {
                    metrics.record(2_000);
                    assertTrue(exporter.flush(Duration.ofSeconds(30)), "VictoriaMetrics took push " + round);
                    Expected expected = new Expected();
                    for (Field field : metrics.expected(engine.snapshot(), Map.of("host", "victoria"))) {
                        expected.put(promQl(field), field.value());
                    }
                    expected.assertStored(q -> victoria.api().single(q), "VictoriaMetrics after push " + round);
                }
            }
        }
    }

    /** VictoriaMetrics' name for a line-protocol field: measurement_field, tags as labels (and db). */
    private static String promQl(Field field) {
        StringBuilder q = new StringBuilder(field.measurement()).append('_').append(field.field())
                .append("{db=\"metrics\"");
        field.tags().forEach((k, v) -> q.append(',').append(k).append("=\"").append(v).append('"'));
        return q.append('}').toString();
    }
}
