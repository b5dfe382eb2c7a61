package io.streammetrics.remotewrite;

import io.streammetrics.MetricsEngine;
import io.streammetrics.push.Expected;
import io.streammetrics.push.PushExporter;
import io.streammetrics.push.PushOutageScenarios;
import io.streammetrics.push.VictoriaMetrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The shared outage scenarios for remote write, against a real VictoriaMetrics. */
class RemoteWriteOutageIT extends PushOutageScenarios {
    @Override
    protected String exporterName() {
        return RemoteWriteExporter.EXPORTER;
    }

    @Override
    protected PushExporter exporter(MetricsEngine engine, String url, Duration interval) {
        return RemoteWriteExporter.builder(engine).endpoint(url).interval(interval)
                .backoff(Duration.ofMillis(20), Duration.ofMillis(200)).externalLabel("job", "outage").build();
    }

    @Override
    protected Database database() throws IOException {
        VictoriaMetrics victoria = new VictoriaMetrics(Files.createTempDirectory(Path.of("target"), "victoria-outage"));
        return new Database() {
            @Override
            public void start() throws Exception {
                victoria.start();
            }

            @Override
            public void kill() throws Exception {
                victoria.kill();
            }

            @Override
            public String writeUrl() {
                return victoria.remoteWriteUrl();
            }

            @Override
            public Expected expected(double events, long latencyCount, double latencySumSeconds) {
                return new Expected().put("outage_events_total{job=\"outage\"}", events)
                        .put("outage_latency_seconds_count{job=\"outage\"}", latencyCount)
                        .put("outage_latency_seconds_sum{job=\"outage\"}", latencySumSeconds);
            }

            @Override
            public double value(String query) throws IOException, InterruptedException {
                return victoria.api().single(query);
            }

            @Override
            public void close() throws Exception {
                victoria.close();
            }
        };
    }
}
