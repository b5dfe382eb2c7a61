package io.streammetrics.remotewrite;

import io.streammetrics.MetricsEngine;
import io.streammetrics.common.Unit;
import io.streammetrics.internal.exponential.ExponentialBucketMapping;
import io.streammetrics.internal.exponential.ExponentialBuckets;
import io.streammetrics.internal.exponential.ExponentialScale;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.CounterFamily;
import io.streammetrics.push.PushBatch;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.MetricsSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The remote-write encoding, read back with an independent decoder and compared with the engine's snapshot. */
class RemoteWriteEncoderTest {
    private final MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).cardinalityLimit(3).build()
            .start();

    @AfterEach
    void close() {
        engine.close();
    }

    private RemoteWriteEncoder encoder(Map<String, String> external) {
        return new RemoteWriteEncoder(engine, new TreeMap<>(external), name -> HistogramFormat.CLASSIC, true, 160);
    }

    private static WriteRequests.Request read(PushBatch batch) throws Exception {
        return WriteRequests.decompressAndRead(batch.body(), batch.length());
    }

    @Test
    void countersGaugesHistogramsAndTimersAsAPrometheusScrapeNamesThem() throws Exception {
        CounterFamily orders = engine.counter("orders").help("Orders seen.").labelNames("stage").register();
        orders.labels("parse").add(41);
        orders.labels("parse").increment();
        orders.labels("store").add(2.5);
        engine.gauge("queue").unit(Unit.BYTES).register().labels().set(-7.25);
        var payload = engine.histogram("payload").unit(Unit.BYTES).classicUpperBounds(100, 1000).register().labels();
        payload.record(50);
        payload.record(500);
        payload.record(5000);
        var latency = engine.timer("latency").classicUpperBounds(0.001, 0.01).register().labels();
        latency.record(500_000);
        latency.record(2_000_000);

        RemoteWriteEncoder encoder = encoder(Map.of());
        PushBatch batch = encoder.encode();
        WriteRequests.Request request = read(batch);
        MetricsSnapshot snapshot = engine.snapshot();

        assertEquals(42.0, request.value("orders_total", "stage", "parse"));
        assertEquals(((CounterPoint) snapshot.family("orders").point("store")).value(),
                request.value("orders_total", "stage", "store"));
        assertEquals(-7.25, request.value("queue_bytes"));
        assertEquals(1, request.value("payload_bytes_bucket", "le", "100.0"));
        assertEquals(2, request.value("payload_bytes_bucket", "le", "1000.0"));
        assertEquals(3, request.value("payload_bytes_bucket", "le", "+Inf"));
        assertEquals(5550, request.value("payload_bytes_sum"));
        assertEquals(3, request.value("payload_bytes_count"));
        assertEquals(1, request.value("latency_seconds_bucket", "le", "0.001"));
        assertEquals(2, request.value("latency_seconds_bucket", "le", "0.01"));
        assertEquals(2, request.value("latency_seconds_bucket", "le", "+Inf"));
        assertEquals(0.0025, request.value("latency_seconds_sum"), 1e-15);
        assertEquals(2, request.value("latency_seconds_count"));

        int samples = 0;
        for (WriteRequests.Series series : request.series()) {
            assertEquals(1, series.samples().size());
            assertTrue(series.samples().get(0).timestamp() > 0);
            samples++;
        }
        assertEquals(samples, batch.samples(), "the batch counts its samples");
        assertEquals(new WriteRequests.Metadata(1, "orders_total", "Orders seen.", ""), metadata(request, "orders_total"));
        assertEquals(new WriteRequests.Metadata(2, "queue_bytes", "", "bytes"), metadata(request, "queue_bytes"));
        assertEquals(new WriteRequests.Metadata(3, "latency_seconds", "", "seconds"),
                metadata(request, "latency_seconds"));
    }

    private static WriteRequests.Metadata metadata(WriteRequests.Request request, String family) {
        return request.metadata().stream().filter(m -> m.family().equals(family)).findFirst()
                .orElseThrow(() -> new AssertionError("no metadata for " + family + ": " + request.metadata()));
    }

    @Test
    void labelsAreSortedWithExternalLabelsAddedUnlessTheSeriesHasThem() throws Exception {
        engine.histogram("sizes").labelNames("zone", "Region", "job").classicUpperBounds(1)
                .register().labels("z1", "eu", "own").record(1);
        engine.counter("plain").register().labels().increment();
        WriteRequests.Request request = read(encoder(Map.of("job", "etl", "instance", "host-1", "a", "b")).encode());

        WriteRequests.Series bucket = request.find("sizes_bucket", "le", "1.0");
        assertEquals(List.of("Region", "__name__", "a", "instance", "job", "le", "zone"), bucket.labelOrder());
        assertEquals("own", bucket.labels().get("job"), "the series' own label wins over the external one");
        assertEquals(List.of("Region", "__name__", "a", "instance", "job", "zone"),
                request.find("sizes_count").labelOrder());
        WriteRequests.Series plain = request.find("plain_total");
        assertEquals(List.of("__name__", "a", "instance", "job"), plain.labelOrder());
        assertEquals("etl", plain.labels().get("job"));
        for (WriteRequests.Series series : request.series()) {
            List<String> sorted = new ArrayList<>(series.labelOrder());
            sorted.sort(null);
            assertEquals(sorted, series.labelOrder(), "labels sorted by name, as remote write requires");
        }
    }

    @Test
    void theOverflowSeriesCarriesTheOverflowLabel() throws Exception {
        CounterFamily users = engine.counter("requests").labelNames("user").register();
        for (int i = 0; i < 5; i++) {
            users.labels("u" + i).increment();
        }
        WriteRequests.Request request = read(encoder(Map.of()).encode());
        assertEquals(2, request.value("requests_total", "otel_metric_overflow", "true"));
    }

    @Test
    void nativeHistogramsAreTheSharedMappingOfTheSnapshotsBuckets() throws Exception {
        var latency = engine.timer("latency").register().labels();
        var sizes = engine.histogram("sizes").classicUpperBounds(10, 1000).register().labels();
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int i = 0; i < 20_000; i++) {
            // Six decades of latencies: more than 160 buckets at schema 8, so the schema must come down.
            latency.record((long) Math.pow(10, 3 + 6 * random.nextDouble()));
            sizes.record(1 + random.nextInt(5000));
        }
        sizes.record(0);
        RemoteWriteEncoder encoder = new RemoteWriteEncoder(engine, new TreeMap<>(),
                name -> name.equals("latency") ? HistogramFormat.NATIVE : HistogramFormat.BOTH, true, 160);
        WriteRequests.Request request = read(encoder.encode());
        MetricsSnapshot snapshot = engine.snapshot();

        HistogramPoint timer = (HistogramPoint) snapshot.family("latency").point();
        WriteRequests.NativeHistogram sent = request.histogram("latency_seconds");
        assertEquals(timer.count(), sent.count());
        assertEquals(timer.sum() / 1e9, sent.sum());
        assertTrue(sent.buckets().size() <= 160, sent.buckets().size() + " buckets");
        ExponentialBuckets expected = new ExponentialBuckets();
        new ExponentialBucketMapping(engine.histogramLayout(), 1e9, ExponentialScale.PROMETHEUS_MAX_SCHEMA,
                ExponentialScale.PROMETHEUS_MIN_SCHEMA, RemoteWriteEncoder.NATIVE_MIN_ZERO_THRESHOLD)
                .map(timer, 160, expected);
        assertEquals(expected.scale(), sent.schema());
        assertTrue(sent.schema() < ExponentialScale.PROMETHEUS_MAX_SCHEMA, "six decades do not fit at schema 8");
        assertEquals(expected.zeroCount(), sent.zeroCount());
        assertEquals(expected.zeroThreshold(), sent.zeroThreshold());
        long total = sent.zeroCount();
        for (int i = 0; i < expected.length(); i++) {
            long count = sent.buckets().get(ExponentialScale.prometheusIndex(expected.offset() + i));
            assertEquals(expected.countAt(i), count, "bucket " + i);
            total += count;
        }
        assertEquals(timer.count(), total, "zero bucket and buckets add up to the count");
        assertTrue(request.series().stream().noneMatch(s -> s.name().startsWith("latency_seconds_")),
                "a NATIVE family sends no classic series");

        // BOTH: the native histogram and the classic series, from one read.
        WriteRequests.NativeHistogram both = request.histogram("sizes");
        assertEquals(20_001, both.count());
        assertEquals(1, both.zeroCount(), "the recorded 0");
        assertEquals(20_001, request.value("sizes_count"));
        assertEquals(20_001, request.value("sizes_bucket", "le", "+Inf"));
        assertEquals(both.timestamp(), request.find("sizes_count").samples().get(0).timestamp());
    }

    @Test
    void laterPushesCarryTheNewTotals() throws Exception {
        Counter counter = engine.counter("events").register().labels();
        RemoteWriteEncoder encoder = encoder(Map.of());
        counter.add(5);
        assertEquals(5, read(encoder.encode()).value("events_total"));
        counter.add(6);
        assertEquals(11, read(encoder.encode()).value("events_total"));
    }

    /**
     * After the first push (which encodes each series' labels once), a push allocates a constant handful of objects,
     * not something per sample: 10,000 counters and 1,000 histograms (native and classic) cost no more than 110
     * series.
     */
    @Test
    void aPushDoesNotAllocatePerSample() {
        CounterFamily many = engine.counter("many").labelNames("i").cardinalityLimit(20_000).register();
        for (int i = 0; i < 100; i++) {
            many.labels(Integer.toString(i)).add(i);
        }
        var timers = engine.timer("t").labelNames("i").cardinalityLimit(2_000).register();
        for (int i = 0; i < 10; i++) {
            timers.labels(Integer.toString(i)).record(1_000L * (i + 1));
        }
        RemoteWriteEncoder encoder = new RemoteWriteEncoder(engine, new TreeMap<>(Map.of("job", "x")),
                name -> HistogramFormat.BOTH, true, 160);
        long small = steadyAllocation(encoder);
        for (int i = 100; i < 10_000; i++) {
            many.labels(Integer.toString(i)).add(i);
            if (i < 1_000) {
                timers.labels(Integer.toString(i)).record(1_000L * i);
            }
        }
        long large = steadyAllocation(encoder);
        assertTrue(large < small + 4_096, "a push of 11,000 series (1,000 native and classic histograms) "
                + "allocated " + large + " bytes, of 110 series " + small);
    }

    private long steadyAllocation(RemoteWriteEncoder encoder) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            encoder.encode();
            long before = threads.getThreadAllocatedBytes(id);
            encoder.encode();
            least = Math.min(least, threads.getThreadAllocatedBytes(id) - before);
        }
        return least;
    }
}
