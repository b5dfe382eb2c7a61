package io.streammetrics.influx;

import io.streammetrics.MetricsEngine;
import io.streammetrics.common.Unit;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.CounterFamily;
import io.streammetrics.push.PushBatch;
import io.streammetrics.snapshot.HistogramPoint;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The line-protocol encoding, read back with an independent parser and compared with the engine's snapshot. */
class LineProtocolEncoderTest {
    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};

    private final MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).build().start();

    @AfterEach
    void close() {
        engine.close();
    }

    private LineProtocolEncoder encoder(Map<String, String> external, Precision precision, boolean buckets,
                                        boolean delta, boolean gzip) {
        return new LineProtocolEncoder(engine, new TreeMap<>(external), precision, QUANTILES, buckets, delta, gzip);
    }

    private static List<Lines.Line> lines(PushBatch batch) {
        return Lines.parse(new String(batch.body(), 0, batch.length(), StandardCharsets.UTF_8));
    }

    @Test
    void mapsCountersGaugesAndDistributionsToFields() {
        CounterFamily orders = engine.counter("orders").labelNames("stage").register();
        orders.labels("parse").add(41);
        orders.labels("store").add(1.5);
        engine.gauge("queue").unit(Unit.BYTES).register().labels().set(-3.5);
        engine.gauge("broken").register().labels().set(Double.POSITIVE_INFINITY);
        var latency = engine.timer("latency").classicUpperBounds(0.001, 0.01).register().labels();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            latency.record(100_000 + random.nextLong(50_000_000));
        }
        PushBatch batch = encoder(Map.of("host", "w1"), Precision.NANOSECONDS, true, false, false).encode();
        List<Lines.Line> lines = lines(batch);

        assertEquals("41.0", Lines.find(lines, "orders", "stage", "parse").fields().get("value"));
        assertEquals("1.5", Lines.find(lines, "orders", "stage", "store").fields().get("value"));
        assertEquals("w1", Lines.find(lines, "orders", "stage", "store").tags().get("host"));
        assertEquals("-3.5", Lines.find(lines, "queue_bytes").fields().get("value"));
        assertTrue(lines.stream().noneMatch(l -> l.measurement().equals("broken")), "infinity cannot be written");

        Lines.Line timer = Lines.find(lines, "latency_seconds");
        HistogramPoint point = (HistogramPoint) engine.snapshot().family("latency").point();
        Histogram hdr = point.toHdrHistogram();
        assertEquals(point.count() + "i", timer.fields().get("count"));
        assertEquals(point.sum() / 1e9, timer.number("sum"));
        // min and max are the exact recorded extremes; quantiles are HdrHistogram's, within them.
        assertEquals(point.min() / 1e9, timer.number("min"));
        assertEquals(point.max() / 1e9, timer.number("max"));
        double[] percentiles = {50, 90, 99, 99.9};
        String[] fields = {"p50", "p90", "p99", "p99_9"};
        for (int i = 0; i < fields.length; i++) {
            long expected = Math.max(point.min(), Math.min(point.max(), hdr.getValueAtPercentile(percentiles[i])));
            assertEquals(expected / 1e9, timer.number(fields[i]), fields[i]);
        }
        assertEquals(10_000, timer.number("+Inf"));
        assertTrue(timer.number("0.001") < timer.number("0.01"));
        assertEquals(10_000L, timer.number("count"));
        assertEquals(lines.stream().mapToInt(l -> l.fields().size()).sum(), batch.samples());
        long nanos = timer.timestamp();
        assertTrue(Math.abs(nanos / 1_000_000 - System.currentTimeMillis()) < 60_000, "ns timestamp " + nanos);
    }

    @Test
    void escapesMeasurementTagsAndFieldKeysAsLineProtocolRequires() {
        engine.counter("odd").labelNames("path", "note", "empty").register()
                .labels("/a b,c=d", "ends\\", "").increment();
        engine.counter("odd").labelNames("path", "note", "empty").register()
                .labels("line\nbreak", "x=y", "").add(2);
        List<Lines.Line> lines = lines(encoder(Map.of(), Precision.SECONDS, false, false, false).encode());
        Lines.Line first = Lines.find(lines, "odd", "path", "/a b,c=d");
        assertEquals("ends\\", first.tags().get("note"));
        assertFalse(first.tags().containsKey("empty"), "empty tag values are left out");
        assertEquals("line\\nbreak", Lines.find(lines, "odd", "note", "x=y").tags().get("path"),
                "a line break becomes backslash-n");
    }

    @Test
    void precisionSetsTheTimestampUnit() {
        engine.counter("c").register().labels().increment();
        long millis = System.currentTimeMillis();
        assertEquals(millis / 1000, Lines.find(lines(encoder(Map.of(), Precision.SECONDS, false, false, false)
                .encode()), "c").timestamp(), 2);
        assertEquals(millis, Lines.find(lines(encoder(Map.of(), Precision.MILLISECONDS, false, false, false)
                .encode()), "c").timestamp(), 2_000);
        assertEquals(millis * 1000, Lines.find(lines(encoder(Map.of(), Precision.MICROSECONDS, false, false, false)
                .encode()), "c").timestamp(), 2_000_000);
    }

    @Test
    void gzipBodiesInflateToTheSameLines() throws Exception {
        CounterFamily many = engine.counter("many").labelNames("i").cardinalityLimit(5_000).register();
        for (int i = 0; i < 3_000; i++) {
            many.labels(Integer.toString(i)).add(i);
        }
        LineProtocolEncoder gzip = encoder(Map.of(), Precision.MILLISECONDS, false, false, true);
        PushBatch batch = gzip.encode();
        String inflated;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(batch.body(), 0, batch.length()))) {
            inflated = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(gzip.lastLines(), inflated);
        assertTrue(batch.length() < inflated.length() / 3, "compressed " + batch.length() + " of " + inflated.length());
        assertEquals(2_999.0, Lines.find(Lines.parse(inflated), "many", "i", "2999").number("value"));
    }

    @Test
    void counterDeltasAreSinceTheLastDeliveredPush() {
        Counter counter = engine.counter("events").register().labels();
        LineProtocolEncoder encoder = encoder(Map.of(), Precision.MILLISECONDS, false, true, false);
        counter.add(5);
        assertEquals(5, Lines.find(lines(encoder.encode()), "events").number("delta"));
        encoder.delivered();
        counter.add(3);
        assertEquals(3, Lines.find(lines(encoder.encode()), "events").number("delta"));
        // Not delivered: the next push's delta still counts from the last delivered total.
        counter.add(4);
        Lines.Line line = Lines.find(lines(encoder.encode()), "events");
        assertEquals(7, line.number("delta"));
        assertEquals(12, line.number("value"));
    }

    @Test
    void aPushDoesNotAllocatePerLine() {
        CounterFamily many = engine.counter("many").labelNames("i").cardinalityLimit(20_000).register();
        var timers = engine.timer("t").labelNames("i").cardinalityLimit(2_000).register();
        for (int i = 0; i < 100; i++) {
            many.labels(Integer.toString(i)).add(i);
            timers.labels(Integer.toString(i)).record(1_000 * i + 1);
        }
        LineProtocolEncoder encoder = encoder(Map.of("job", "x"), Precision.NANOSECONDS, true, true, true);
        long small = steadyAllocation(encoder);
        for (int i = 100; i < 10_000; i++) {
            many.labels(Integer.toString(i)).add(i);
            if (i < 1_000) {
                timers.labels(Integer.toString(i)).record(1_000 * i + 1);
            }
        }
        long large = steadyAllocation(encoder);
        assertTrue(large < small + 4_096, "a push of 11,000 series allocated " + large + " bytes, of 200 series "
                + small);
    }

    private static long steadyAllocation(LineProtocolEncoder encoder) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            encoder.encode();
            encoder.delivered();
            long before = threads.getThreadAllocatedBytes(id);
            encoder.encode();
            least = Math.min(least, threads.getThreadAllocatedBytes(id) - before);
        }
        return least;
    }
}
