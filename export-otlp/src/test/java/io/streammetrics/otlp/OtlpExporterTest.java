package io.streammetrics.otlp;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.common.Unit;
import io.streammetrics.internal.exponential.ExponentialBucketMapping;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.Timer;
import io.streammetrics.metric.TimerFamily;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.FamilySnapshot;
import io.streammetrics.snapshot.SeriesPoint;
import io.streammetrics.testing.LogUniform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real SDK OTLP/HTTP exporter against a local receiver that decodes the protobuf requests. */
class OtlpExporterTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    // BLOCK: the stuck-receiver test records faster than the aggregator applies; dropping would hide what it checks.
    private final MetricsEngine engine = MetricsEngine.builder().backPressure(BackPressure.BLOCK).build().start();
    private final OtlpTestReceiver receiver;

    OtlpExporterTest() throws IOException {
        receiver = new OtlpTestReceiver();
    }

    @AfterEach
    void close() {
        receiver.close();
        engine.close();
    }

    private OtlpExporter.Builder exporter() {
        // An hour's interval: exports happen when the test flushes, except where a test wants the periodic ones.
        return OtlpExporter.builder(engine).environment(Map.of()).endpoint(receiver.endpoint())
                .interval(Duration.ofHours(1)).retryPolicy(null).timeout(Duration.ofSeconds(5));
    }

    private long exports(String result) {
        FamilySnapshot family = engine.snapshot().family("streammetrics_otlp_exports");
        SeriesPoint point = family == null ? null : family.point(result);
        return point == null ? 0 : ((CounterPoint) point).longValue();
    }

    private static String attribute(List<KeyValue> attributes, String key) {
        return attributes.stream().filter(kv -> kv.getKey().equals(key)).map(kv -> kv.getValue().getStringValue())
                .findFirst().orElse(null);
    }

    /**
     * Exponential histograms as they leave the process, decoded from the OTLP request with the official protobuf
     * classes (neither fetched server keeps OTLP exponential histograms as such: Debian's Prometheus 2.53 is built
     * without the OTLP receiver, VictoriaMetrics turns each bucket into a {@code vmrange} series): timers over six
     * decades arrive with at most 160 buckets, their counts intact, and quantiles read off the decoded buckets are
     * within the stated bound of the exact ones.
     */
    @Test
    void exponentialHistogramsAreSentWithAtMost160Buckets() {
        TimerFamily latency = engine.timer("wire_latency").labelNames("shard").register();
        SplittableRandom random = new SplittableRandom(29);
        long[][] values = new long[3][];
        for (int s = 0; s < values.length; s++) {
            values[s] = LogUniform.sorted(random, 20_000, 1_000, 1e6);
            latency.labels("s" + s).recordBatch(values[s], 0, values[s].length);
            EngineWait.histogramCount(engine, "wire_latency", values[s].length, "s" + s);
        }
        EngineMetricProducer producer = EngineMetricProducer.builder(engine)
                .defaultHistogramFormat(HistogramFormat.exponential()).build();
        try (OtlpExporter otlp = OtlpExporter.builder(producer).environment(Map.of()).endpoint(receiver.endpoint())
                .interval(Duration.ofHours(1)).retryPolicy(null).timeout(Duration.ofSeconds(5)).build()) {
            assertTrue(otlp.flush());
        }
        Metric metric = receiver.received().get(0).metric("wire_latency");
        assertNotNull(metric);
        assertEquals(3, metric.getExponentialHistogram().getDataPointsCount());
        ExponentialBucketMapping mapping = new ExponentialBucketMapping(engine.histogramLayout(), 1e9, 20, -10, 0);
        for (ExponentialHistogramDataPoint point : metric.getExponentialHistogram().getDataPointsList()) {
            String shard = attribute(point.getAttributesList(), "shard");
            long[] sorted = values[Integer.parseInt(shard.substring(1))];
            List<Long> counts = point.getPositive().getBucketCountsList();
            assertTrue(counts.size() <= 160, shard + ": " + counts.size() + " buckets");
            assertTrue(point.getScale() >= mapping.scaleForRange((double) sorted[sorted.length - 1] / sorted[0], 160));
            assertEquals(sorted.length, point.getCount());
            assertEquals(sorted.length, point.getZeroCount() + counts.stream().mapToLong(Long::longValue).sum());
            assertTrue(point.getScale() == 2 || point.getScale() == 3, "six decades: scale " + point.getScale());
            ExponentialQuantiles.assertWithinBound(sorted, 1e9, point.getScale(), point.getPositive().getOffset(),
                    counts, point.getZeroCount(), mapping.relativeError(point.getScale()));
        }
    }

    @Test
    void exportsOverHttpProtobufWithHeadersGzipAndResource() {
        Counter counter = engine.counter("records_processed_total").labelNames("stage").register().labels("parse");
        engine.gauge("queue_depth").register().labels().set(17);
        Timer timer = engine.timer("latency").register().labels();
        counter.add(5);
        timer.record(2_000_000);
        EngineWait.counter(engine, "records_processed", 5, "parse");
        EngineWait.gauge(engine, "queue_depth", 17);
        EngineWait.histogramCount(engine, "latency", 1);
        try (OtlpExporter otlp = exporter().header("api-key", "k1").compression("gzip").serviceName("orders")
                .resourceAttribute("deployment.environment", "test").build()) {
            assertTrue(otlp.flush(), "flush reports the export's success");
        }
        // flush + the final export of close()
        Poll.until(WAIT, () -> receiver.received().size() >= 2, () -> "two requests, got " + receiver.received().size());
        OtlpTestReceiver.Received first = receiver.received().get(0);
        assertEquals("gzip", first.contentEncoding());
        assertEquals("k1", first.apiKey());
        List<KeyValue> resource = first.request().getResourceMetrics(0).getResource().getAttributesList();
        assertEquals("orders", attribute(resource, "service.name"));
        assertEquals("test", attribute(resource, "deployment.environment"));

        Metric sum = first.metric("records_processed");
        assertNotNull(sum);
        assertTrue(sum.getSum().getIsMonotonic());
        assertEquals(5.0, sum.getSum().getDataPoints(0).getAsDouble());
        assertEquals("parse", attribute(sum.getSum().getDataPoints(0).getAttributesList(), "stage"));
        assertEquals(17.0, first.metric("queue_depth").getGauge().getDataPoints(0).getAsDouble());
        Metric latency = first.metric("latency");
        assertEquals("s", latency.getUnit());
        assertEquals(1, latency.getHistogram().getDataPoints(0).getCount());
        assertEquals(0.002, latency.getHistogram().getDataPoints(0).getSum(), 1e-12);
        Poll.until(WAIT, () -> exports("success") >= 2, () -> "success count, got " + exports("success"));
        assertEquals(0, exports("failure"));
    }

    @Test
    void deltaTemporalityOnTheWireCarriesExactIntervalsWithMovingStartTimes() {
        Counter counter = engine.counter("delta_events_total").register().labels();
        Timer timer = engine.timer("delta_latency").register().labels();
        EngineMetricProducer producer = EngineMetricProducer.builder(engine)
                .temporality(io.opentelemetry.sdk.metrics.data.AggregationTemporality.DELTA).build();
        long[] increments = {5, 3, 0};
        int[] timings = {1, 2, 0};
        try (OtlpExporter otlp = OtlpExporter.builder(producer).environment(Map.of()).endpoint(receiver.endpoint())
                .interval(Duration.ofHours(1)).retryPolicy(null).timeout(Duration.ofSeconds(5)).build()) {
            long total = 0;
            int timed = 0;
            for (int round = 0; round < increments.length; round++) {
                counter.add(increments[round]);
                for (int t = 0; t < timings[round]; t++) {
                    timer.record(1_000_000L * (t + 1));
                }
                total += increments[round];
                timed += timings[round];
                EngineWait.counter(engine, "delta_events", total);
                EngineWait.histogramCount(engine, "delta_latency", timed);
                assertTrue(otlp.flush(), "flush " + round);
            }
        }
        Poll.until(WAIT, () -> receiver.received().size() >= 3, () -> "three requests, got " + receiver.received().size());
        long previousEnd = -1;
        for (int round = 0; round < increments.length; round++) {
            OtlpTestReceiver.Received request = receiver.received().get(round);
            // Decoded with the official OTLP protobuf classes: what a collector would see.
            Metric sum = request.metric("delta_events");
            assertEquals(io.opentelemetry.proto.metrics.v1.AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA,
                    sum.getSum().getAggregationTemporality(), "round " + round);
            var point = sum.getSum().getDataPoints(0);
            assertEquals((double) increments[round], point.getAsDouble(), "counter delta of round " + round);
            Metric latency = request.metric("delta_latency");
            assertEquals(io.opentelemetry.proto.metrics.v1.AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA,
                    latency.getHistogram().getAggregationTemporality());
            var histogram = latency.getHistogram().getDataPoints(0);
            assertEquals(timings[round], histogram.getCount(), "histogram delta of round " + round);
            if (previousEnd >= 0) {
                assertEquals(previousEnd, point.getStartTimeUnixNano(), "the interval starts where the last ended");
            }
            assertTrue(point.getTimeUnixNano() > point.getStartTimeUnixNano());
            previousEnd = point.getTimeUnixNano();
        }
    }

    @Test
    void failuresAreCountedAndCumulativeTotalsSurviveTheOutage() {
        Counter counter = engine.counter("events").register().labels();
        receiver.status(503);
        try (OtlpExporter otlp = exporter().build()) {
            counter.add(10);
            EngineWait.counter(engine, "events", 10);
            assertFalse(otlp.flush(), "503 fails the export");
            counter.add(20);
            assertFalse(otlp.flush());
            Poll.until(WAIT, () -> exports("failure") >= 2, () -> "failure count, got " + exports("failure"));
            assertTrue(receiver.received().isEmpty());

            receiver.status(200);
            counter.add(12);
            EngineWait.counter(engine, "events", 42);
            assertTrue(otlp.flush(), "recovered");
            Metric events = receiver.received().get(0).metric("events");
            assertEquals(42.0, events.getSum().getDataPoints(0).getAsDouble(), "nothing lost across the outage");
            // The failures themselves travel with the next successful export.
            Metric exports = receiver.received().get(0).metric("streammetrics_otlp_exports");
            assertNotNull(exports);
            double failures = exports.getSum().getDataPointsList().stream()
                    .filter(p -> "failure".equals(attribute(p.getAttributesList(), "result")))
                    .mapToDouble(p -> p.getAsDouble()).sum();
            assertTrue(failures >= 2, "failures exported: " + failures);
        }
    }

    @Test
    @Timeout(60)
    void aStuckReceiverDoesNotHoldUpRecording() {
        Counter counter = engine.counter("events").register().labels();
        Timer timer = engine.timer("latency").unit(Unit.SECONDS).register().labels();
        receiver.hold();
        try (OtlpExporter otlp = exporter().interval(Duration.ofMillis(50)).timeout(Duration.ofSeconds(30)).build()) {
            // The periodic export is now stuck inside the receiver.
            Poll.until(WAIT, () -> receiver.inFlight() > 0, () -> "an export in flight");
            for (int i = 0; i < 200_000; i++) {
                counter.increment();
                timer.record(i);
            }
            // If recording or snapshots waited for the export, this would not be reached before the timeout.
            assertTrue(receiver.inFlight() > 0, "export still stuck while recording finished");
            EngineWait.counter(engine, "events", 200_000);
            EngineWait.histogramCount(engine, "latency", 200_000);
            receiver.release();
            Poll.until(WAIT, () -> receiver.received().stream().anyMatch(r -> r.metric("events") != null
                            && r.metric("events").getSum().getDataPoints(0).getAsDouble() == 200_000),
                    () -> "an export with every increment");
        }
    }
}
