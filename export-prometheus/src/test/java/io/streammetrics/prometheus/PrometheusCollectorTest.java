package io.streammetrics.prometheus;

import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBucket;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.NativeHistogramBucket;
import io.streammetrics.MetricsEngine;
import io.streammetrics.common.MetricType;
import io.streammetrics.common.Unit;
import io.streammetrics.internal.exponential.ExponentialBucketMapping;
import io.streammetrics.internal.exponential.ExponentialScale;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.Histogram;
import io.streammetrics.metric.HistogramFamily;
import io.streammetrics.metric.Timer;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.MetricsSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrometheusCollectorTest {
    private MetricsEngine engine;

    @BeforeEach
    void start() {
        // BLOCK: these tests compare exported values with what was recorded, so a starved aggregator must not drop.
        engine = MetricsEngine.builder().backPressure(io.streammetrics.BackPressure.BLOCK).build().start();
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private static MetricSnapshot find(MetricSnapshots snapshots, String name) {
        for (MetricSnapshot s : snapshots) {
            if (s.getMetadata().getPrometheusName().equals(name)) {
                return s;
            }
        }
        return null;
    }

    static String text(MetricSnapshots snapshots, boolean openMetrics) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (openMetrics) {
            OpenMetricsTextFormatWriter.create().write(out, snapshots);
        } else {
            PrometheusTextFormatWriter.create().write(out, snapshots);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void exportedNamesFollowPrometheusConventions() {
        assertEquals("latency_seconds", PrometheusCollector.exportedName("latency", MetricType.TIMER, Unit.SECONDS));
        assertEquals("latency_seconds", PrometheusCollector.exportedName("latency_seconds", MetricType.TIMER, Unit.SECONDS));
        assertEquals("sent_bytes", PrometheusCollector.exportedName("sent", MetricType.COUNTER, Unit.BYTES));
        assertEquals("queue", PrometheusCollector.exportedName("queue", MetricType.GAUGE, null));
    }

    @Test
    void counterGetsTotalSuffixUnitAndCreatedTimestamp() throws IOException {
        Counter sent = engine.counter("sent_total").help("Bytes sent.").unit(Unit.BYTES).labelNames("peer")
                .register().labels("a");
        sent.add(40);
        sent.add(2);
        MetricSnapshots snapshots = PrometheusCollector.of(engine).collect();
        CounterSnapshot counter = (CounterSnapshot) find(snapshots, "sent_bytes");
        assertNotNull(counter);
        CounterSnapshot.CounterDataPointSnapshot point = counter.getDataPoints().get(0);
        assertEquals(42.0, point.getValue());
        assertEquals(Labels.of("peer", "a"), point.getLabels());
        long created = engine.snapshot().family("sent").points().get(0).createdMillis();
        assertTrue(created > 0);
        assertEquals(created, point.getCreatedTimestampMillis());
        assertTrue(text(snapshots, false).contains("sent_bytes_total{peer=\"a\"} 42.0\n"), text(snapshots, false));
        assertTrue(text(snapshots, true).contains("# UNIT sent_bytes bytes\n"));
    }

    @Test
    void gaugeKeepsValueAndGetsUnitSuffix() {
        engine.gauge("queue_size").unit(Unit.BYTES).register().labels().set(-2.5);
        GaugeSnapshot gauge = (GaugeSnapshot) find(PrometheusCollector.of(engine).collect(), "queue_size_bytes");
        assertNotNull(gauge);
        assertEquals(-2.5, gauge.getDataPoints().get(0).getValue());
    }

    @Test
    void timerIsExportedInSeconds() {
        Timer timer = engine.timer("work").help("Work.").register().labels();
        timer.record(1_500_000);
        timer.record(2_500_000);
        timer.record(20_000_000_000L);
        HistogramSnapshot histogram = (HistogramSnapshot) find(PrometheusCollector.of(engine).collect(), "work_seconds");
        assertNotNull(histogram);
        HistogramSnapshot.HistogramDataPointSnapshot point = histogram.getDataPoints().get(0);
        assertEquals(20.004, point.getSum(), 1e-12);
        assertEquals(3, point.getCount());
        // Default latency buckets: both short durations fall in le=0.005, the long one only in +Inf.
        assertEquals(2, cumulative(point, 0.005));
        assertEquals(2, cumulative(point, 10));
        assertEquals(3, cumulative(point, Double.POSITIVE_INFINITY));
        // 1.5 ms to 20 s: four decades, schema 3 in the default 160 buckets.
        assertEquals(3, point.getNativeSchema());
        // Native bounds are in seconds too: 1.5e-3 lies in the first bucket.
        NativeHistogramBucket first = point.getNativeBucketsForPositiveValues().iterator().next();
        assertTrue(ExponentialScale.lowerBound(first.getBucketIndex() - 1, 3) < 1.5e-3
                && 1.5e-3 <= ExponentialScale.lowerBound(first.getBucketIndex(), 3), "first bucket " + first);
        // Without the limit, schema 7 (the HDR precision): the 1.5 ms bucket's upper bound is within 1% of 1.5e-3.
        point = ((HistogramSnapshot) find(PrometheusCollector.builder(engine).nativeMaxNumberOfBuckets(0).build()
                .collect(), "work_seconds")).getDataPoints().get(0);
        assertEquals(7, point.getNativeSchema());
        first = point.getNativeBucketsForPositiveValues().iterator().next();
        assertEquals(1.5e-3, ExponentialScale.lowerBound(first.getBucketIndex(), 7), 1.5e-5);
    }

    private static long cumulative(HistogramSnapshot.HistogramDataPointSnapshot point, double le) {
        long total = 0;
        for (ClassicHistogramBucket bucket : point.getClassicBuckets()) {
            total += bucket.getCount();
            if (bucket.getUpperBound() == le) {
                return total;
            }
        }
        throw new AssertionError("no bucket le=" + le);
    }

    @Test
    void defaultClassicBucketsByUnit() {
        engine.histogram("payload").unit(Unit.BYTES).register().labels().record(100);
        engine.histogram("items").register().labels().record(100);
        MetricSnapshots snapshots = PrometheusCollector.of(engine).collect();
        HistogramSnapshot.HistogramDataPointSnapshot bytes =
                ((HistogramSnapshot) find(snapshots, "payload_bytes")).getDataPoints().get(0);
        assertEquals(64, bytes.getClassicBuckets().getUpperBound(0));
        assertEquals(256, bytes.getClassicBuckets().getUpperBound(1));
        assertEquals(64.0 * 1024 * 1024, bytes.getClassicBuckets().getUpperBound(bytes.getClassicBuckets().size() - 2));
        HistogramSnapshot.HistogramDataPointSnapshot plain =
                ((HistogramSnapshot) find(snapshots, "items")).getDataPoints().get(0);
        assertEquals(1, plain.getClassicBuckets().getUpperBound(0));
        assertEquals(10, plain.getClassicBuckets().getUpperBound(1));
        assertEquals(1, cumulative(plain, 100));
        assertEquals(0, cumulative(plain, 10));
    }

    @Test
    void histogramModesPerFamily() {
        engine.histogram("c").register().labels().record(5);
        engine.histogram("n").register().labels().record(5);
        engine.histogram("b").register().labels().record(5);
        MetricSnapshots snapshots = PrometheusCollector.builder(engine)
                .histogramMode("c", HistogramMode.CLASSIC).histogramMode("n", HistogramMode.NATIVE).build().collect();
        HistogramSnapshot.HistogramDataPointSnapshot c = ((HistogramSnapshot) find(snapshots, "c")).getDataPoints().get(0);
        HistogramSnapshot.HistogramDataPointSnapshot n = ((HistogramSnapshot) find(snapshots, "n")).getDataPoints().get(0);
        HistogramSnapshot.HistogramDataPointSnapshot b = ((HistogramSnapshot) find(snapshots, "b")).getDataPoints().get(0);
        assertTrue(c.hasClassicHistogramData());
        assertFalse(c.hasNativeHistogramData());
        assertFalse(n.hasClassicHistogramData());
        assertTrue(n.hasNativeHistogramData());
        assertEquals(1, n.getCount());
        assertTrue(b.hasClassicHistogramData());
        assertTrue(b.hasNativeHistogramData());
    }

    @Test
    void classicBucketsCountEachHdrBucketAtItsHighestValue() {
        Histogram histogram = engine.histogram("sizes").register().labels();
        // At 2 digits, 512..1023 have HDR buckets 4 wide: 999 is in [996, 999], 1000 in [1000, 1003].
        histogram.record(10);
        histogram.record(999);
        histogram.record(1000);
        histogram.record(1004);
        MetricSnapshots snapshots = PrometheusCollector.builder(engine).classicBuckets("sizes", 10, 1000, 1003, 2000)
                .build().collect();
        HistogramSnapshot.HistogramDataPointSnapshot point =
                ((HistogramSnapshot) find(snapshots, "sizes")).getDataPoints().get(0);
        assertEquals(1, cumulative(point, 10));
        // 1000 itself moves up one HDR bucket width, to le=1003: the documented placement error.
        assertEquals(2, cumulative(point, 1000));
        assertEquals(3, cumulative(point, 1003));
        assertEquals(4, cumulative(point, 2000));
        assertEquals(4, cumulative(point, Double.POSITIVE_INFINITY));
    }

    @Test
    void classicBucketPlacementErrorIsAtMostOneHdrBucketWidth() {
        Histogram histogram = engine.histogram("random").register().labels();
        Random random = new Random(42);
        long[] values = new long[20_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1 + (long) Math.exp(random.nextDouble() * 20);
        }
        histogram.recordBatch(values, 0, values.length);
        double[] bounds = {5, 50, 333, 1000, 4321, 77_777, 1e6, 3.3e6, 1e8};
        MetricSnapshots snapshots = PrometheusCollector.builder(engine).classicBuckets("random", bounds).build().collect();
        HistogramSnapshot.HistogramDataPointSnapshot point =
                ((HistogramSnapshot) find(snapshots, "random")).getDataPoints().get(0);
        double width = engine.histogramLayout().relativeBucketWidth();
        for (double le : bounds) {
            long exported = cumulative(point, le);
            long exactAtLe = 0;
            long exactBelowOneWidth = 0;
            for (long v : values) {
                exactAtLe += v <= le ? 1 : 0;
                exactBelowOneWidth += v <= le * (1 - width) ? 1 : 0;
            }
            assertTrue(exported <= exactAtLe, "le=" + le + ": never counts a value above le");
            assertTrue(exported >= exactBelowOneWidth, "le=" + le + ": " + exported + " < " + exactBelowOneWidth);
        }
    }

    @Test
    void invalidClassicBucketsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> PrometheusCollector.builder(engine).classicBuckets("x", 2, 1));
        assertThrows(IllegalArgumentException.class,
                () -> PrometheusCollector.builder(engine).classicBuckets("x", 1, Double.NaN));
    }

    @Test
    void aCounterPastLongMaxValueIsExportedPositive() throws IOException {
        // Issue 15, item 4: add(Long.MAX_VALUE) twice exported -2, and client_java's model refused the point, so the
        // protobuf scrape lost the family. The store carries past Long.MAX_VALUE into the counter's double part.
        Counter huge = engine.counter("huge_total").register().labels();
        huge.add(Long.MAX_VALUE);
        huge.add(Long.MAX_VALUE);
        CounterSnapshot counter = (CounterSnapshot) find(PrometheusCollector.of(engine).collect(), "huge");
        assertNotNull(counter, "the family is exported");
        assertEquals(2 * (double) Long.MAX_VALUE, counter.getDataPoints().get(0).getValue());
        assertTrue(text(PrometheusCollector.of(engine).collect(), false).contains("huge_total 1.8446744073709552E19\n"));
    }

    @Test
    void overflowSeriesGetsOverflowLabelAndEmptyValues() throws IOException {
        var family = engine.counter("requests").labelNames("path").cardinalityLimit(1).register();
        family.labels("/a").increment();
        family.labels("/b").increment();
        family.labels("/c").add(2);
        CounterSnapshot counter = (CounterSnapshot) find(PrometheusCollector.of(engine).collect(), "requests");
        assertEquals(2, counter.getDataPoints().size());
        CounterSnapshot.CounterDataPointSnapshot overflow = counter.getDataPoints().stream()
                .filter(p -> p.getLabels().contains("otel_metric_overflow")).findFirst().orElseThrow();
        assertEquals(Labels.of("path", "", "otel_metric_overflow", "true"), overflow.getLabels());
        assertEquals(3.0, overflow.getValue());
        CounterSnapshot.CounterDataPointSnapshot normal = counter.getDataPoints().stream()
                .filter(p -> !p.getLabels().contains("otel_metric_overflow")).findFirst().orElseThrow();
        assertEquals(Labels.of("path", "/a"), normal.getLabels());
    }

    @Test
    void specialLabelValuesRoundTripThroughTheTextFormats() throws IOException {
        String nasty = "q\"uo\\te\nnew line ünïcødé ✓ 😀";
        engine.gauge("special").labelNames("v").register().labels(nasty).set(1);
        MetricSnapshots snapshots = PrometheusCollector.of(engine).collect();
        for (boolean openMetrics : new boolean[] {false, true}) {
            String text = text(snapshots, openMetrics);
            String line = text.lines().filter(l -> l.startsWith("special{")).findFirst().orElseThrow();
            assertEquals(nasty, TextFormatParser.labels(line).get("v"), line);
        }
    }

    @Test
    void collidingExportedNamesSkipTheLaterFamily() {
        engine.gauge("dup").unit(Unit.BYTES).register().labels().set(1);
        engine.gauge("dup_bytes").register().labels().set(2);
        PrometheusCollector collector = PrometheusCollector.of(engine);
        GaugeSnapshot gauge = (GaugeSnapshot) find(collector.collect(), "dup_bytes");
        assertEquals(1.0, gauge.getDataPoints().get(0).getValue());
        assertEquals(1, collector.skippedFamilies());
    }

    /**
     * Without a bucket limit the native schema is the HDR precision's (7 at 2 digits) and quantiles are within 0.94%;
     * with the default limit each series gets the schema its populated range allows, and quantiles are within that
     * schema's bound.
     */
    @Test
    void nativeQuantilesStayWithinTheStatedBoundOfHdrQuantiles() {
        recordQuantileRuns();
        assertQuantilesWithinBound(PrometheusCollector.builder(engine).nativeMaxNumberOfBuckets(0).build(), 7);
        assertQuantilesWithinBound(PrometheusCollector.of(engine), -1);
    }

    private void recordQuantileRuns() {
        HistogramFamily values = engine.histogram("values").labelNames("run").register();
        Timer timer = engine.timer("latency").register().labels();
        Random random = new Random(7);
        long[][] runs = new long[4][];
        for (int r = 0; r < runs.length; r++) {
            int n = 1 + random.nextInt(30_000);
            runs[r] = new long[n];
            double spread = 2 + random.nextDouble() * 20;
            for (int i = 0; i < n; i++) {
                runs[r][i] = 1 + (long) Math.exp(random.nextDouble() * spread);
            }
            values.labels("r" + r).recordBatch(runs[r], 0, n);
        }
        long[] nanos = new long[10_000];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = (long) (1e6 * Math.exp(random.nextGaussian() * 2));
        }
        timer.recordBatch(nanos, 0, nanos.length);
    }

    /** Checks every series against its schema's bound; {@code schema} is the one all must have, or -1 for any. */
    private void assertQuantilesWithinBound(PrometheusCollector collector, int expectedSchema) {
        // Nothing is recorded from here on, so the snapshot holds what the collect read.
        MetricSnapshots exported = collector.collect();
        MetricsSnapshot snapshot = engine.snapshot();
        ExponentialBucketMapping mapping = new ExponentialBucketMapping(engine.histogramLayout(), 1, 8, -4, 0);
        assertTrue(mapping.relativeError(7) < 0.0095, "stated bound at 2 digits and schema 7 is 0.94%");
        // Many quantiles, so that ranks land at every position within native buckets (the worst case is at their
        // edges), plus the usual ones.
        double[] usual = {0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0};
        double[] quantiles = new double[usual.length + 2000];
        System.arraycopy(usual, 0, quantiles, 0, usual.length);
        for (int k = 0; k < 2000; k++) {
            quantiles[usual.length + k] = (k + 0.5) / 2000;
        }
        double worstShare = 0;
        int checked = 0;
        int bounded = 0;
        for (String family : new String[] {"values", "latency"}) {
            double scale = family.equals("latency") ? 1e9 : 1;
            HistogramSnapshot histogram = (HistogramSnapshot) find(exported,
                    family.equals("latency") ? "latency_seconds" : "values");
            for (HistogramSnapshot.HistogramDataPointSnapshot point : histogram.getDataPoints()) {
                HistogramPoint source = (HistogramPoint) snapshot.family(family).points().stream()
                        .filter(p -> Labels.of(snapshot.family(family).labelNames(), p.labelValues())
                                .equals(point.getLabels()))
                        .findFirst().orElseThrow();
                org.HdrHistogram.Histogram hdr = source.toHdrHistogram();
                assertEquals(hdr.getTotalCount(), point.getCount());
                int schema = point.getNativeSchema();
                if (expectedSchema >= 0) {
                    assertEquals(expectedSchema, schema);
                }
                bounded += schema < 7 ? 1 : 0;
                assertTrue(nativeRange(point) <= (expectedSchema >= 0 ? Integer.MAX_VALUE : 160), point::toString);
                double bound = mapping.relativeError(schema);
                for (double q : quantiles) {
                    double prometheus = PromQlQuantile.nativeQuantile(q, point);
                    double exact = hdr.getValueAtPercentile(q * 100) / scale;
                    double error = Math.abs(prometheus - exact) / exact;
                    assertTrue(error <= bound * (1 + 1e-9), family + point.getLabels() + " q=" + q + ": prometheus "
                            + prometheus + " vs HDR " + exact + ", relative error " + error + " > " + bound);
                    checked++;
                    worstShare = Math.max(worstShare, error / bound);
                }
            }
        }
        assertEquals(5 * quantiles.length, checked);
        if (expectedSchema < 0) {
            assertTrue(bounded >= 3, "most runs span too many decades for schema 7 in 160 buckets");
        }
        // The data reach well into the bound, so the check has teeth (placing counts at an HDR bucket's lowest value
        // instead of its midpoint, for one, breaks it).
        assertTrue(worstShare > 0.6, "worst error / bound " + worstShare);
    }

    /** Native buckets from the lowest to the highest non-empty one. */
    static int nativeRange(HistogramSnapshot.HistogramDataPointSnapshot point) {
        int first = Integer.MAX_VALUE;
        int last = Integer.MIN_VALUE;
        for (NativeHistogramBucket bucket : point.getNativeBucketsForPositiveValues()) {
            first = Math.min(first, bucket.getBucketIndex());
            last = Math.max(last, bucket.getBucketIndex());
        }
        return first > last ? 0 : last - first + 1;
    }

    @Test
    void emptyHistogramExportsZeroCount() {
        engine.histogram("empty").register().labels();
        HistogramSnapshot.HistogramDataPointSnapshot point =
                ((HistogramSnapshot) find(PrometheusCollector.of(engine).collect(), "empty")).getDataPoints().get(0);
        assertEquals(0, point.getCount());
        assertEquals(0, point.getSum());
        assertNull(find(PrometheusCollector.of(engine).collect(), "missing"));
    }
}
