package io.streammetrics.dashboard;

import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.alert.Alert;
import io.streammetrics.alert.AlertState;
import io.streammetrics.alert.rule.Severity;
import io.streammetrics.common.EngineClock;
import io.streammetrics.health.HealthReport;
import io.streammetrics.json.JsonReader;
import io.streammetrics.stream.StreamMetrics;
import io.streammetrics.testing.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's numbers over its window match what was recorded; the JSON carries them. */
class DashboardTest {
    private static final long START = 1_700_000_000_000L;

    @Test
    void stagesShowRatesQuantilesAndErrorRatioOverTheWindow() {
        TestClock clock = new TestClock(START);
        Alert firing = new Alert("a1", "HighLatency", Map.of("severity", "critical"), Map.of(), Severity.CRITICAL,
                AlertState.FIRING, 2, START, START, 0, START, null, false);
        Alert pending = new Alert("a2", "QueueBacklog", Map.of("severity", "warning"), Map.of(), Severity.WARNING,
                AlertState.PENDING, 5000, START, 0, 0, START, null, false);
        try (MetricsEngine engine = MetricsEngine.builder().backPressure(BackPressure.BLOCK).build().start();
             Dashboard dashboard = Dashboard.builder(engine).clock(clock).window(Duration.ofSeconds(10))
                     .alerts(() -> List.of(firing, pending))
                     .health(() -> HealthReport.of(List.of(), Map.of(Severity.CRITICAL, 1), START)).build()) {
            StreamMetrics parse = StreamMetrics.builder(engine).pipeline("orders").stage("parse").partition("0").build();
            StreamMetrics parse1 = StreamMetrics.builder(engine).pipeline("orders").stage("parse").partition("1").build();
            StreamMetrics sink = StreamMetrics.builder(engine).pipeline("orders").stage("sink").partition("0").build();
            DashboardData first = dashboard.refresh();
            assertTrue(Double.isNaN(first.stages().get(0).recordsPerSecond()), "one sample: no rate yet");
            for (int second = 0; second < 20; second++) {
                parse.recordProcessedBatch(100, 10_000);
                parse1.recordProcessedBatch(300, 30_000);
                parse.errorType("malformed").add(8);
                sink.recordProcessedBatch(50, 0);
                for (int i = 0; i < 100; i++) {
                    parse.recordProcessingNanos(1_000_000);
                    parse1.recordProcessingNanos(i < 98 ? 2_000_000 : 50_000_000);
                }
                parse1.recordProcessingNanos(second < 19 ? 2_000_000 : 900_000_000);   // the window's two slowest
                if (second == 19) {
                    parse1.recordProcessingNanos(900_000_000);
                }
                for (int i = 0; i < 10; i++) {
                    sink.recordEndToEndFromEpochNanos(EngineClock.SYSTEM.epochNanos() - (i == 0 ? 80_000_000 : 10_000_000));
                }
                parse.setQueueSize(7);
                parse1.setQueueSize(42);
                clock.advance(Duration.ofSeconds(1));
                dashboard.refresh();
            }
            DashboardData data = dashboard.data();
            assertEquals(List.of("parse", "sink"), data.stages().stream().map(StageSummary::stage).toList());
            StageSummary stage = data.stages().get(0);
            assertEquals(400, stage.recordsPerSecond(), 1e-9, "both partitions");
            assertEquals(40_000, stage.bytesPerSecond(), 1e-9);
            assertEquals(8, stage.errorsPerSecond(), 1e-9);
            assertEquals(0.02, stage.errorRatio(), 1e-9);
            assertEquals(0.002, stage.p50Seconds(), 0.002 * 0.01, "the worst partition's median");
            assertEquals(0.05, stage.p99Seconds(), 0.05 * 0.01, "partition 1's p99");
            assertEquals(0.9, stage.p999Seconds(), 0.9 * 0.01, "partition 1's p99.9: its two slowest of 1,011");
            assertTrue(Double.isNaN(stage.endToEndP50Seconds()), "parse records no end-to-end latency");
            assertEquals(42, stage.queueSize());
            StageSummary sinkStage = data.stages().get(1);
            assertEquals(0, sinkStage.errorRatio(), "no error series yet: no errors");
            assertTrue(Double.isNaN(sinkStage.p99Seconds()), "no latency recorded");
            assertEquals(0.01, sinkStage.endToEndP50Seconds(), 0.01 * 0.01);
            assertEquals(0.08, sinkStage.endToEndP99Seconds(), 0.08 * 0.01, "one in ten at 80 ms");
            assertEquals(0.08, sinkStage.endToEndP999Seconds(), 0.08 * 0.01);
            assertEquals(Map.of(Severity.INFO, 0, Severity.WARNING, 0, Severity.CRITICAL, 1, Severity.FATAL, 0),
                    data.firingBySeverity());
            assertEquals(1, data.pendingCount());
            assertTrue(data.process().get("heapUsedBytes") > 0, data.process().toString());
            assertEquals(0, data.engine().get("eventsDropped"));

            @SuppressWarnings("unchecked")
            Map<String, Object> json = (Map<String, Object>) JsonReader.parse(data.toJson());
            assertEquals(10.0, json.get("windowSeconds"));
            @SuppressWarnings("unchecked")
            Map<String, Object> parseJson = ((List<Map<String, Object>>) json.get("stages")).get(0);
            assertEquals(400.0, parseJson.get("recordsPerSecond"));
            assertEquals(0.9, (Double) ((Map<?, ?>) parseJson.get("latencySeconds")).get("p999"), 0.9 * 0.01);
            assertEquals(0.02, (Double) parseJson.get("errorRatio"), 1e-9);
            @SuppressWarnings("unchecked")
            Map<String, Object> sinkJson = ((List<Map<String, Object>>) json.get("stages")).get(1);
            assertNull(((Map<?, ?>) sinkJson.get("latencySeconds")).get("p99"));
            assertEquals(0.08, (Double) ((Map<?, ?>) sinkJson.get("endToEndLatencySeconds")).get("p99"), 0.08 * 0.01);
            assertEquals(Map.of("status", "critical", "httpStatus", 503.0), json.get("health"));
            Map<?, ?> alerts = (Map<?, ?>) json.get("alerts");
            assertEquals(1.0, ((Map<?, ?>) alerts.get("firing")).get("critical"));
            assertEquals(1.0, alerts.get("pending"));
            assertEquals(List.of("HighLatency", "QueueBacklog"), ((List<?>) alerts.get("active")).stream()
                    .map(alert -> ((Map<?, ?>) alert).get("ruleName")).toList());
        }
    }

    @Test
    void listenersSeeEveryRefreshAndWatchedExpressionsAreEvaluatedOverTheSameWindows() {
        TestClock clock = new TestClock(START);
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).backPressure(BackPressure.BLOCK).build()
                .start();
             Dashboard dashboard = Dashboard.builder(engine).clock(clock).window(Duration.ofSeconds(5)).maxWatches(2)
                     .build()) {
            var requests = engine.counter("requests_total").labelNames("route").register();
            List<DashboardData> seen = new java.util.ArrayList<>();
            List<Long> snapshotTimes = new java.util.ArrayList<>();
            DashboardListener listener = (snapshot, data) -> {
                seen.add(data);
                snapshotTimes.add(snapshot.timestampMillis());
            };
            dashboard.addListener(listener);
            dashboard.addListener((snapshot, data) -> {
                throw new IllegalStateException("a broken viewer");
            });
            dashboard.watch("rate(requests_total[5s])");
            dashboard.watch("rate(requests_total[5s])");        // again: no second watch
            dashboard.watch("sum(last(requests_total))");
            IllegalStateException full = assertThrows(IllegalStateException.class,
                    () -> dashboard.watch("last(requests_total)"));
            assertTrue(full.getMessage().contains("already watches 2"), full.getMessage());
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> dashboard.watch("rate(requests_total)"));
            assertTrue(bad.getMessage().contains("rate"), bad.getMessage());
            for (int second = 0; second <= 5; second++) {
                requests.labels("a").add(10);
                requests.labels("b").add(30);
                dashboard.refresh();
                clock.advance(Duration.ofSeconds(1));
            }
            assertEquals(6, seen.size(), "every refresh, despite the other listener's failures");
            assertEquals(dashboard.data(), seen.get(5));
            assertEquals(6, snapshotTimes.size());
            Map<String, List<io.streammetrics.alert.expr.Sample>> watched = dashboard.data().watched();
            assertEquals(List.of("rate(requests_total[5s])", "sum(last(requests_total))"), List.copyOf(watched.keySet()));
            Map<String, Double> rates = new java.util.TreeMap<>();
            watched.get("rate(requests_total[5s])").forEach(s -> rates.put(s.labels().get("route"), s.value()));
            assertEquals(Map.of("a", 10.0, "b", 30.0), rates);
            assertEquals(240.0, watched.get("sum(last(requests_total))").get(0).value());

            assertTrue(dashboard.unwatch("rate(requests_total[5s])"));
            assertTrue(!dashboard.unwatch("rate(requests_total[5s])"));
            dashboard.watch("last(requests_total)");          // room again
            assertTrue(dashboard.removeListener(listener));
            dashboard.refresh();
            assertEquals(6, seen.size(), "removed");
            assertEquals(List.of("sum(last(requests_total))", "last(requests_total)"),
                    List.copyOf(dashboard.data().watched().keySet()));
            assertEquals(2, dashboard.data().watched().get("last(requests_total)").size());
        }
    }

    @Test
    void aWindowShorterThanTwoIntervalsIsRefused() {
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                    Dashboard.builder(engine).interval(Duration.ofSeconds(1)).window(Duration.ofMillis(1500)).build());
            assertTrue(e.getMessage().contains("window 1s500ms must be at least two intervals"), e.getMessage());
        }
    }
}
