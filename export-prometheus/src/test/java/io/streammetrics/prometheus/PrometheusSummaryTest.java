package io.streammetrics.prometheus;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.streammetrics.MetricsEngine;
import io.streammetrics.common.EngineClock;
import io.streammetrics.common.HistogramLayout;
import io.streammetrics.metric.Histogram;
import io.streammetrics.metric.HistogramFamily;
import io.streammetrics.metric.Timer;
import io.streammetrics.snapshot.HistogramPoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrometheusSummaryTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final double[] QUANTILES = {0.5, 0.9, 0.95, 0.99};

    /** Wall-clock time driven by the test; timers' nanoTime stays real (only durations use it). */
    private final AtomicLong millis = new AtomicLong(T0);
    private MetricsEngine engine;

    @BeforeEach
    void start() {
        engine = MetricsEngine.builder().backPressure(io.streammetrics.BackPressure.BLOCK).clock(new EngineClock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public long epochMillis() {
                return millis.get();
            }
        }).build().start();
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    /**
     * Sets the clock. The snapshot makes the aggregator complete a pass begun after the change, so that the
     * last-update time of every later record is the new time, not the one its pass may have read before.
     */
    private void at(long secondsAfterT0) {
        millis.set(T0 + secondsAfterT0 * 1000);
        engine.snapshot();
    }

    private static MetricSnapshot find(MetricSnapshots snapshots, String name) {
        for (MetricSnapshot s : snapshots) {
            if (s.getMetadata().getPrometheusName().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no family " + name);
    }

    private static SummarySnapshot.SummaryDataPointSnapshot summaryPoint(MetricSnapshots snapshots, String name) {
        SummarySnapshot summary = (SummarySnapshot) find(snapshots, name);
        assertEquals(1, summary.getDataPoints().size());
        return summary.getDataPoints().get(0);
    }

    private org.HdrHistogram.Histogram hdrOf(long[] values) {
        HistogramLayout layout = engine.histogramLayout();
        org.HdrHistogram.Histogram hdr = new org.HdrHistogram.Histogram(layout.lowestDiscernibleValue(),
                layout.highestTrackableValue(), layout.significantDigits());
        for (long v : values) {
            hdr.recordValue(v);
        }
        return hdr;
    }

    private static void assertQuantiles(org.HdrHistogram.Histogram expected, double scale,
                                        SummarySnapshot.SummaryDataPointSnapshot point) {
        assertEquals(QUANTILES.length, point.getQuantiles().size());
        for (int i = 0; i < QUANTILES.length; i++) {
            Quantile quantile = point.getQuantiles().get(i);
            assertEquals(QUANTILES[i], quantile.getQuantile());
            assertEquals(expected.getValueAtPercentile(QUANTILES[i] * 100) / scale, quantile.getValue(),
                    "q=" + QUANTILES[i]);
        }
    }

    private static long[] logUniform(Random random, int n, double maxExponent) {
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = 1 + (long) Math.exp(random.nextDouble() * maxExponent);
        }
        return values;
    }

    @Test
    void valuesRecordedLongAgoFallOutOfTheWindowAndQuantilesAreHdrs() {
        Timer timer = engine.timer("lat").help("Latency.").register().labels();
        long[] old = new long[100];
        java.util.Arrays.fill(old, 5_000_000_000L);     // 5 s, far above every recent value
        timer.recordBatch(old, 0, old.length);
        PrometheusCollector collector = PrometheusCollector.builder(engine).summary("lat").build();

        // Registered inside the window: everything so far is in it.
        SummarySnapshot.SummaryDataPointSnapshot first = summaryPoint(collector.collect(), "lat_seconds");
        assertQuantiles(hdrOf(old), 1e9, first);
        // Scrapes every 10 s remember one cumulative snapshot per sub-window.
        for (int s = 10; s <= 60; s += 10) {
            at(s);
            collector.collect();
        }
        at(61);
        long[] recent = logUniform(new Random(3), 5_000, 18);   // 1 ns .. 66 ms
        timer.recordBatch(recent, 0, recent.length);
        at(65);
        SummarySnapshot.SummaryDataPointSnapshot windowed = summaryPoint(collector.collect(), "lat_seconds");
        // The window is (10 s, 65 s]: only the recent values; with the old ones p99 would be 5 s.
        assertQuantiles(hdrOf(recent), 1e9, windowed);
        assertTrue(windowed.getQuantiles().get(3).getValue() < 0.07, "p99 " + windowed.getQuantiles().get(3));
        // _count and _sum stay cumulative.
        assertEquals(old.length + recent.length, windowed.getCount());
        HistogramPoint cumulative = (HistogramPoint) engine.snapshot().family("lat").points().get(0);
        assertEquals(cumulative.sum() / 1e9, windowed.getSum(), 1e-9);
        assertEquals(T0, windowed.getCreatedTimestampMillis());

        // Nothing recorded for more than a window: empty window, NaN quantiles, counts unchanged.
        at(200);
        SummarySnapshot.SummaryDataPointSnapshot idle = summaryPoint(collector.collect(), "lat_seconds");
        for (Quantile quantile : idle.getQuantiles()) {
            assertTrue(Double.isNaN(quantile.getValue()), "q=" + quantile.getQuantile() + " " + quantile.getValue());
        }
        assertEquals(old.length + recent.length, idle.getCount());
    }

    @Test
    void windowSlidesSubWindowBySubWindowPerSeries() {
        HistogramFamily family = engine.histogram("sizes").labelNames("k").register();
        Histogram a = family.labels("a");
        Histogram b = family.labels("b");
        PrometheusCollector collector = PrometheusCollector.builder(engine)
                .summary("sizes", Duration.ofSeconds(30), 3).build();
        Random random = new Random(5);
        // Each 10 s sub-window gets its own batch for series a; b only gets the first one.
        long[][] batches = new long[8][];
        for (int k = 0; k < batches.length; k++) {
            at(70 + 10L * k + 1);
            batches[k] = logUniform(random, 200 + random.nextInt(2_000), 4 + k * 2);
            a.recordBatch(batches[k], 0, batches[k].length);
            if (k == 0) {
                b.recordBatch(batches[k], 0, batches[k].length);
            }
            at(70 + 10L * (k + 1));
            MetricSnapshots exported = collector.collect();
            SummarySnapshot summary = (SummarySnapshot) find(exported, "sizes");
            SummarySnapshot.SummaryDataPointSnapshot pointA = summary.getDataPoints().stream()
                    .filter(p -> p.getLabels().equals(Labels.of("k", "a"))).findFirst().orElseThrow();
            SummarySnapshot.SummaryDataPointSnapshot pointB = summary.getDataPoints().stream()
                    .filter(p -> p.getLabels().equals(Labels.of("k", "b"))).findFirst().orElseThrow();
            // The first collect has no history: everything since registration (batch 0). Later ones start at the
            // oldest remembered snapshot inside (now - 30 s, now]: from the first collect's (just batch 1), then
            // the last three batches once three sub-windows have passed.
            org.HdrHistogram.Histogram expected = hdrOf(new long[0]);
            for (int j = k == 0 ? 0 : Math.max(1, k - 2); j <= k; j++) {
                expected.add(hdrOf(batches[j]));
            }
            assertQuantiles(expected, 1, pointA);
            assertEquals(valuesUpTo(batches, k), pointA.getCount(), "cumulative count");
            if (k == 0) {
                assertQuantiles(hdrOf(batches[0]), 1, pointB);
            } else {
                // From the ring's baseline at first, then (k >= 3) because b's last update left the window.
                assertTrue(Double.isNaN(pointB.getQuantiles().get(0).getValue()), "k=" + k + ": b has nothing new");
            }
        }
    }

    private static long valuesUpTo(long[][] batches, int k) {
        long total = 0;
        for (int j = 0; j <= k; j++) {
            total += batches[j].length;
        }
        return total;
    }

    @Test
    void firstCollectLongAfterRegistrationHasNoHistoryAndCoversEverythingSinceRegistration() {
        Histogram histogram = engine.histogram("h").register().labels();
        long[] early = {1_000, 2_000, 3_000};
        histogram.recordBatch(early, 0, early.length);
        at(500);
        long[] late = {10, 20};
        histogram.recordBatch(late, 0, late.length);
        PrometheusCollector collector = PrometheusCollector.builder(engine).summary("h").build();
        // No snapshot from inside the window exists: the documented fallback is everything since registration.
        org.HdrHistogram.Histogram all = hdrOf(early);
        all.add(hdrOf(late));
        assertQuantiles(all, 1, summaryPoint(collector.collect(), "h"));
        // A sub-window later the snapshot above is the baseline: only what came after it.
        at(520);
        histogram.record(7);
        assertQuantiles(hdrOf(new long[] {7}), 1, summaryPoint(collector.collect(), "h"));
    }

    @Test
    void eachSeriesKeepsAtMostSubWindowsPlusOneSnapshots() {
        Histogram histogram = engine.histogram("h").register().labels();
        SlidingWindowSummary summary = new SlidingWindowSummary(Duration.ofSeconds(60), 6);
        int seriesId = engine.snapshot().family("h").points().get(0).seriesId();
        int most = 0;
        for (int s = 0; s < 1_000; s += 2) {
            at(s);
            histogram.record(s + 1);
            HistogramPoint point = (HistogramPoint) engine.snapshot().family("h").points().get(0);
            summary.window(point, millis.get());
            most = Math.max(most, summary.kept(seriesId));
        }
        // Every 2 s, with 10 s sub-windows: one point every 10 s in the last 60 s, ends included.
        assertEquals(7, most);
        assertEquals(7, summary.kept(seriesId));
    }

    @Test
    void anOlderSnapshotArrivingLateIsNoBaselineAndNeverGoesNegative() {
        Histogram histogram = engine.histogram("h").register().labels();
        at(100);
        histogram.record(50);
        HistogramPoint earlier = (HistogramPoint) engine.snapshot().family("h").points().get(0);
        at(110);
        histogram.record(60);
        HistogramPoint later = (HistogramPoint) engine.snapshot().family("h").points().get(0);
        SlidingWindowSummary summary = new SlidingWindowSummary(Duration.ofSeconds(60), 6);
        at(200);
        histogram.record(70);
        HistogramPoint now = (HistogramPoint) engine.snapshot().family("h").points().get(0);
        summary.window(later, T0 + 110_000);
        // The earlier point is converted after the later one (concurrent scrapes): it must not use "later".
        org.HdrHistogram.Histogram window = summary.window(earlier, T0 + 100_000);
        assertEquals(1, window.getTotalCount());
        assertEquals(50, window.getValueAtPercentile(100), 1);
        org.HdrHistogram.Histogram current = summary.window(now, T0 + 200_000);
        // Window (140 s, 200 s]: "later" (110 s) is the newest point before it, so 70 only.
        assertEquals(1, current.getTotalCount());
        assertEquals(70, current.getValueAtPercentile(100), 1);
    }

    @Test
    void summaryExpositionHasQuantileCountAndSumLines() throws IOException {
        engine.timer("work").help("Work.").register().labels().record(2_000_000);
        MetricSnapshots snapshots = PrometheusCollector.builder(engine).summary("work").build().collect();
        String text = PrometheusCollectorTest.text(snapshots, false);
        assertTrue(text.contains("# TYPE work_seconds summary\n"), text);
        for (String q : new String[] {"0.5", "0.9", "0.95", "0.99"}) {
            assertTrue(text.contains("work_seconds{quantile=\"" + q + "\"} 0.0020"), text);
        }
        assertTrue(text.contains("work_seconds_count 1\n"), text);
        assertTrue(text.contains("work_seconds_sum 0.002\n"), text);
        assertTrue(!text.contains("work_seconds_bucket"), text);
    }

    @Test
    void summaryOptionLeavesOtherFamiliesAndTypesAlone() {
        engine.counter("c").register().labels().add(3);
        engine.histogram("other").register().labels().record(4);
        MetricSnapshots snapshots = PrometheusCollector.builder(engine).summary("c").summary("absent").build().collect();
        CounterSnapshot counter = (CounterSnapshot) find(snapshots, "c");
        assertEquals(3.0, counter.getDataPoints().get(0).getValue());
        assertNotNull((HistogramSnapshot) find(snapshots, "other"));
    }

    @Test
    void invalidSummaryOptionsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> PrometheusCollector.builder(engine).summary("x", Duration.ofMillis(500)));
        assertThrows(IllegalArgumentException.class,
                () -> PrometheusCollector.builder(engine).summary("x", Duration.ofMinutes(1), 0));
        assertThrows(IllegalArgumentException.class, () -> PrometheusCollector.builder(engine)
                .summary("x").histogramMode("x", HistogramMode.NATIVE).build());
        assertThrows(IllegalArgumentException.class, () -> PrometheusCollector.builder(engine)
                .classicBuckets("x", 1, 2).summary("x").build());
    }
}
