package io.streammetrics.influx;

import io.streammetrics.MetricsEngine;
import io.streammetrics.push.ScriptedReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exporter's write URLs, headers and settings checks, against a scripted receiver on 127.0.0.1. */
class InfluxExporterTest {
    private final MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).build().start();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void writesToTheV1AndV2ApisWithTheirParametersAndHeaders() throws Exception {
        engine.counter("jobs").register().labels().add(3);
        try (ScriptedReceiver receiver = new ScriptedReceiver()) {
            try (InfluxExporter v1 = InfluxExporter.builder(engine).endpoint(receiver.url("/"))
                    .database("metrics").retentionPolicy("week").precision(Precision.MILLISECONDS)
                    .basicAuth("writer", "secret").interval(Duration.ofHours(1)).build()) {
                assertEquals(receiver.url("/write?db=metrics&rp=week&precision=ms"), v1.endpoint());
                assertTrue(v1.flush(Duration.ofSeconds(10)));
            }
            try (InfluxExporter v2 = InfluxExporter.builder(engine).endpoint(receiver.url(""))
                    .org("ops team").bucket("metrics").token("t0k3n").gzip(true).interval(Duration.ofHours(1))
                    .build()) {
                assertEquals(receiver.url("/api/v2/write?org=ops+team&bucket=metrics&precision=ns"), v2.endpoint());
                assertTrue(v2.flush(Duration.ofSeconds(10)));
            }
            // v1's flush and last push on close, then v2's.
            assertEquals(4, receiver.count());
            ScriptedReceiver.Received v1 = receiver.received().get(0);
            assertEquals("Basic d3JpdGVyOnNlY3JldA==", v1.header("Authorization"));
            String lines = new String(v1.body(), StandardCharsets.UTF_8);
            assertTrue(lines.contains("\njobs value=3.0 "), lines);
            ScriptedReceiver.Received v2 = receiver.received().get(2);
            assertEquals("Token t0k3n", v2.header("Authorization"));
            assertEquals("gzip", v2.header("Content-Encoding"));
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(v2.body()))) {
                assertTrue(new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("\njobs value=3.0 "));
            }
        }
    }

    @Test
    void writeUrlTakesApiAndParametersFromInfluxDbsOwnUrls() {
        assertEquals("http://db:8086/write?db=m&rp=r&precision=s", InfluxExporter.builder(engine)
                .writeUrl("http://db:8086/write?db=m&rp=r&precision=s").encoderEndpoint());
        assertEquals("https://cloud/prefix/api/v2/write?org=o&bucket=b&precision=us", InfluxExporter.builder(engine)
                .writeUrl("https://cloud/prefix/api/v2/write?bucket=b&org=o&precision=us").encoderEndpoint());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InfluxExporter.builder(engine)
                .writeUrl("http://db:8086/query?db=m")).getMessage().contains("must end in /write"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InfluxExporter.builder(engine)
                .writeUrl("http://db:8086/write?db=m&consistency=all")).getMessage().contains("'consistency'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InfluxExporter.builder(engine)
                .writeUrl("http://db:8086/write?db=m&precision=h")).getMessage().contains("unknown precision 'h'"));
    }

    @Test
    void settingsThatDoNotFitFailNamingTheProblem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InfluxExporter.builder(engine)
                .endpoint("http://db:8086").build()).getMessage().contains("exactly one of database"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InfluxExporter.builder(engine)
                .endpoint("http://db:8086").database("a").bucket("b").build()).getMessage()
                .contains("exactly one of database"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InfluxExporter.builder(engine)
                .endpoint("http://db:8086").bucket("b").retentionPolicy("r").build()).getMessage()
                .contains("retention policy is an InfluxDB 1.x setting"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InfluxExporter.builder(engine)
                .quantiles(0.5, 1.5)).getMessage().contains("quantile 1.5"));
    }
}
