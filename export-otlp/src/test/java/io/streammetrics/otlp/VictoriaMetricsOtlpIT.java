package io.streammetrics.otlp;

import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.Timer;
import io.streammetrics.metric.Unit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pushes a counter, a gauge and a timer (explicit-bucket histogram) over OTLP/HTTP protobuf to a real
 * VictoriaMetrics 1.112 running with {@code -opentelemetry.usePrometheusNaming}, then finds the values through its
 * Prometheus query API under the names VictoriaMetrics gives them: {@code <name>_total} for the monotonic Sum,
 * the unit suffix for the gauge ({@code By} → {@code _bytes}), and {@code <name>_seconds_bucket/_sum/_count} for the
 * histogram.
 */
class VictoriaMetricsOtlpIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;
    private final MetricsEngine engine = MetricsEngine.builder().build().start();
    private VictoriaMetricsServer vm;

    @AfterEach
    void close() throws InterruptedException {
        engine.close();
        if (vm != null) {
            vm.close();
        }
    }

    @Test
    void counterGaugeAndHistogramArriveUnderPrometheusNames() throws Exception {
        vm = new VictoriaMetricsServer(tmp.resolve("vm-data"));
        vm.start();
        Counter processed = engine.counter("otlpit_records_processed_total").help("Records processed.")
                .labelNames("stage").register().labels("parse");
        engine.gauge("otlpit_queue_size").unit(Unit.BYTES).register().labels().set(2048);
        Timer latency = engine.timer("otlpit_latency").register().labels();
        processed.add(42);
        latency.record(3_000_000);     // 3 ms   -> le 0.005
        latency.record(3_000_000);
        latency.record(200_000_000);   // 200 ms -> le 0.25
        EngineWait.histogramCount(engine, "otlpit_latency", 3);
        EngineWait.counter(engine, "otlpit_records_processed", 42, "parse");
        try (OtlpExporter otlp = OtlpExporter.builder(engine).environment(Map.of()).endpoint(vm.otlpEndpoint())
                .serviceName("otlp-it").interval(Duration.ofHours(1)).build()) {
            assertTrue(otlp.flush(), "VictoriaMetrics accepted the export");
        }

        expect("otlpit_records_processed_total{stage=\"parse\"}", 42);
        expect("otlpit_queue_size_bytes", 2048);
        expect("otlpit_latency_seconds_count", 3);
        expect("otlpit_latency_seconds_sum", 0.206);
        expect("otlpit_latency_seconds_bucket{le=\"0.005\"}", 2);
        expect("otlpit_latency_seconds_bucket{le=\"0.25\"}", 3);
        expect("otlpit_latency_seconds_bucket{le=\"+Inf\"}", 3);
        // The resource's service.name becomes a label.
        expect("otlpit_records_processed_total{service_name=\"otlp-it\"}", 42);
        assertEquals(List.of("otlpit_latency_seconds_bucket", "otlpit_latency_seconds_count",
                "otlpit_latency_seconds_sum", "otlpit_queue_size_bytes", "otlpit_records_processed_total"),
                vm.names("{__name__=~\"otlpit.*\"}"));
    }

    private void expect(String promql, double value) {
        Poll.until(WAIT, () -> {
            List<Double> values = vm.query(promql);
            return values.size() == 1 && Math.abs(values.get(0) - value) < 1e-9;
        }, () -> promql + " = " + value + "; got " + vm.query(promql) + "; series named "
                + vm.names("{__name__=~\"otlpit.*\"}") + "; " + vm.raw("/api/v1/series?match[]=%7B__name__%3D~%22otlpit.*%22%7D"));
    }
}
