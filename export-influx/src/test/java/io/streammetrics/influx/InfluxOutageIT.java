package io.streammetrics.influx;

import io.streammetrics.MetricsEngine;
import io.streammetrics.push.Expected;
import io.streammetrics.push.PushExporter;
import io.streammetrics.push.PushOutageScenarios;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The shared outage scenarios for line protocol, against a real InfluxDB 1.6. */
class InfluxOutageIT extends PushOutageScenarios {
    private static final Map<String, String> TAGS = Map.of("job", "outage");

    @Override
    protected String exporterName() {
        return InfluxExporter.EXPORTER;
    }

    @Override
    protected PushExporter exporter(MetricsEngine engine, String url, Duration interval) {
        // The scenarios hand over a write URL; the builder wants the base and adds /write?db=... itself.
        String base = url.substring(0, url.indexOf("/write"));
        return InfluxExporter.builder(engine).endpoint(base).database(InfluxDb.DATABASE)
                .interval(interval).backoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .externalLabel("job", "outage").build();
    }

    @Override
    protected Database database() throws IOException, InterruptedException {
        InfluxDb influx = new InfluxDb(Files.createTempDirectory(Path.of("target"), "influx-outage"));
        // InfluxDB 1.x answers 404 to writes into a database that does not exist yet, and the exporter rightly drops
        // a 4xx batch: create the database once beforehand, so that the scenarios' first start (after the exporter
        // has already been pushing to a closed port) takes writes from its first request, as a restart does.
        influx.start();
        influx.close();
        return new Database() {
            @Override
            public void start() throws Exception {
                influx.start();
            }

            @Override
            public void kill() throws Exception {
                influx.kill();
            }

            @Override
            public String writeUrl() {
                return influx.baseUrl() + "/write?db=" + InfluxDb.DATABASE;
            }

            @Override
            public Expected expected(double events, long latencyCount, double latencySumSeconds) {
                return new Expected()
                        .put(InfluxDb.query(new Field("outage_events", TAGS, "value", events)), events)
                        .put(InfluxDb.query(new Field("outage_latency_seconds", TAGS, "count", 0)), latencyCount)
                        .put(InfluxDb.query(new Field("outage_latency_seconds", TAGS, "sum", 0)), latencySumSeconds);
            }

            @Override
            public double value(String query) throws IOException, InterruptedException {
                return influx.single(query);
            }

            @Override
            public void close() throws Exception {
                influx.close();
            }
        };
    }
}
