package io.streammetrics.otlp;

import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.Timer;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.FamilySnapshot;
import io.streammetrics.snapshot.SeriesPoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Kills VictoriaMetrics while the periodic exporter runs, records during the outage, restarts it on the same port
 * and data directory, and checks that recording went on, that the failures were counted, and that the first
 * exports after recovery carry the complete cumulative totals.
 */
class VictoriaMetricsOutageIT {
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

    private long exports(String result) {
        FamilySnapshot family = engine.snapshot().family("streammetrics_otlp_exports");
        SeriesPoint point = family == null ? null : family.point(result);
        return point == null ? 0 : ((CounterPoint) point).longValue();
    }

    @Test
    void cumulativeTotalsAreCompleteAfterTheReceiverComesBack() throws Exception {
        vm = new VictoriaMetricsServer(tmp.resolve("vm-data"));
        vm.start();
        Counter events = engine.counter("outage_events").register().labels();
        Timer latency = engine.timer("outage_latency").register().labels();
        try (OtlpExporter otlp = OtlpExporter.builder(engine).environment(Map.of()).endpoint(vm.otlpEndpoint())
                .interval(Duration.ofMillis(250)).timeout(Duration.ofSeconds(2)).retryPolicy(null).build()) {
            events.add(100);
            latency.record(1_000_000);
            expect("outage_events_total", 100);

            vm.kill();
            long failuresBefore = exports("failure");
            Poll.until(WAIT, () -> exports("failure") > failuresBefore, () -> "a failed export while the receiver is down");
            // Recording goes on during the outage.
            for (int i = 0; i < 1_000; i++) {
                events.increment();
                latency.record(2_000_000);
            }
            EngineWait.counter(engine, "outage_events", 1_100);
            EngineWait.histogramCount(engine, "outage_latency", 1_001);
            Poll.until(WAIT, () -> exports("failure") > failuresBefore + 1, () -> "more failures while down");

            vm.start();
            expect("outage_events_total", 1_100);
            expect("outage_latency_seconds_count", 1_001);
            expect("outage_latency_seconds_sum", 2.001);
            // The failures reach the receiver too, in the next successful export.
            Poll.until(WAIT, () -> {
                List<Double> failures = vm.query("streammetrics_otlp_exports_total{result=\"failure\"}");
                return failures.size() == 1 && failures.get(0) >= 2;
            }, () -> "failure count in VictoriaMetrics: " + vm.query("streammetrics_otlp_exports_total"));
        }
    }

    private void expect(String promql, double value) {
        Poll.until(WAIT, () -> {
            List<Double> values = vm.query(promql);
            return values.size() == 1 && Math.abs(values.get(0) - value) < 1e-9;
        }, () -> promql + " = " + value + "; got " + vm.query(promql));
    }
}
