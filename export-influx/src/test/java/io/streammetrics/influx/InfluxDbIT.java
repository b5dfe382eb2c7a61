package io.streammetrics.influx;

import io.streammetrics.MetricsEngine;
import io.streammetrics.push.Expected;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pushes line protocol to a real InfluxDB 1.6 ({@code /write?db=}) and reads every field back with InfluxQL:
 * counter totals, gauge, count, sum, min, max and quantiles exactly as the engine's snapshot gives them; plain and
 * gzip bodies, nanosecond and second precision.
 */
class InfluxDbIT {
    private static InfluxDb influx;

    @BeforeAll
    static void startInfluxDb() throws Exception {
        influx = new InfluxDb(Files.createTempDirectory(Path.of("target"), "influxdb")).start();
    }

    @AfterAll
    static void stopInfluxDb() throws Exception {
        if (influx != null) {
            influx.close();
        }
    }

    @Test
    void pushedFieldsEqualTheEngineSnapshot() throws Exception {
        pushAndCompare("plain", false, Precision.NANOSECONDS);
    }

    @Test
    void gzipBodiesWithClassicBucketsAtSecondPrecisionToo() throws Exception {
        pushAndCompare("gzip", true, Precision.SECONDS);
    }

    private void pushAndCompare(String host, boolean gzip, Precision precision) throws Exception {
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).build().start()) {
            InfluxItMetrics metrics = new InfluxItMetrics(engine);
            try (InfluxExporter exporter = InfluxExporter.builder(engine)
                    .endpoint(influx.baseUrl())
                    .database(InfluxDb.DATABASE)
                    .externalLabel("host", host)
                    .gzip(gzip)
                    .classicBuckets(gzip)
                    .precision(precision)
                    .interval(Duration.ofHours(1))
                    .build()) {
                for (int round = 1; round <= 2; round++) {
                    metrics.record(2_000);
                    assertTrue(exporter.flush(Duration.ofSeconds(30)), "InfluxDB took push " + round);
                    Expected expected = new Expected();
                    for (Field field : metrics.expected(engine.snapshot(), Map.of("host", host))) {
                        expected.put(InfluxDb.query(field), field.value());
                        if (gzip && field.field().equals("count")) {
                            // The +Inf classic bucket counts every value.
                            Field inf = new Field(field.measurement(), field.tags(), "+Inf", field.value());
                            expected.put(InfluxDb.query(inf), inf.value());
                        }
                    }
                    expected.assertStored(influx::single, "InfluxDB after push " + round);
                    if (precision == Precision.SECONDS) {
                        // Two pushes within one second overwrite each other's points: wait for the next second.
                        Thread.sleep(1_100);
                    }
                }
            }
        }
    }
}
