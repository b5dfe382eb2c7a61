package io.streammetrics.metric;

import io.streammetrics.BackPressure;
import io.streammetrics.EngineTestSupport.ManualClock;
import io.streammetrics.MetricsEngine;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.MetricsSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static io.streammetrics.EngineTestSupport.assertBucketsAddUp;
import static io.streammetrics.EngineTestSupport.counterLong;
import static io.streammetrics.EngineTestSupport.dropped;
import static io.streammetrics.EngineTestSupport.histogram;
import static io.streammetrics.EngineTestSupport.runProducers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Handles: resolved once per label set, timers driven by the engine clock, batches that exceed the ring. */
class HandleTest {

    @Test
    void sameLabelsGiveTheSameHandle() {
        try (MetricsEngine engine = MetricsEngine.builder().build()) {
            CounterFamily counters = engine.counter("handles_total").labelNames("a", "b").register();
            GaugeFamily gauges = engine.gauge("handles_gauge").labelNames("a").register();
            HistogramFamily histograms = engine.histogram("handles_hist").labelNames("a").register();
            TimerFamily timers = engine.timer("handles_timer").labelNames("a").register();

            assertSame(counters.labels("x", "y"), counters.labels("x", "y"));
            assertSame(gauges.labels("x"), gauges.labels("x"));
            assertSame(histograms.labels("x"), histograms.labels("x"));
            assertSame(timers.labels("x"), timers.labels("x"));
            assertEquals(counters.labels("x", "y").seriesId(), counters.labels(new String("x"), new String("y")).seriesId());

            assertNotEquals(counters.labels("x", "y").seriesId(), counters.labels("y", "x").seriesId());
            assertNotEquals(gauges.labels("x").seriesId(), gauges.labels("z").seriesId());
            assertNotEquals(histograms.labels("x").seriesId(), histograms.labels("z").seriesId());
            assertNotEquals(timers.labels("x").seriesId(), histograms.labels("x").seriesId());

            Counter unlabelled = engine.counter("handles_single_total").register().labels();
            assertSame(unlabelled, engine.counter("handles_single_total").register().labels());
        }
    }

    @Test
    void concurrentLookupsOfANewLabelSetResolveToOneSeries() throws Exception {
        try (MetricsEngine engine = MetricsEngine.builder().build()) {
            CounterFamily counters = engine.counter("handles_race_total").labelNames("k").register();
            int threads = 4;
            CyclicBarrier barrier = new CyclicBarrier(threads);
            Set<Integer> ids = ConcurrentHashMap.newKeySet();
            runProducers(threads, t -> {
                for (int i = 0; i < 200; i++) {
                    if (i % 50 == 0) {
                        barrier.await(10, TimeUnit.SECONDS);
                    }
                    ids.add(counters.labels("k" + i).seriesId());
                }
            });
            assertEquals(200, ids.size(), "one series per label set, whichever thread created it");
            assertEquals(200, engine.registry().seriesOf(engine.registry().family("handles_race")).size());
        }
    }

    @Test
    void timerRecordsDurationsFromTheEngineClockExactly() {
        ManualClock clock = new ManualClock(1_000_000_000L);
        try (MetricsEngine engine = MetricsEngine.builder().clock(clock).build().start()) {
            Timer timer = engine.timer("clock_timer").register().labels();

            long start = timer.start();
            assertEquals(1_000_000_000L, start);
            clock.advance(250);
            timer.recordSince(start);

            String result = timer.timeSupplier(() -> {
                clock.advance(1_000_000);
                return "done";
            });
            assertEquals("done", result);

            timer.time(() -> clock.advance(42));
            timer.record(Duration.ofMillis(3));
            timer.record(7);

            engine.close();
            HistogramPoint point = histogram(engine.snapshot(), "clock_timer");
            assertEquals(5, point.count());
            assertEquals(250 + 1_000_000 + 42 + 3_000_000 + 7, point.sum());
            assertEquals(7, point.min());
            assertEquals(3_000_000, point.max());
            assertEquals(1, point.countAt(engine.histogramLayout().indexOf(250)));
            assertEquals(1, point.countAt(engine.histogramLayout().indexOf(42)));
            assertBucketsAddUp(point);
            assertEquals(ManualClock.EPOCH_MILLIS, engine.snapshot().timestampMillis());
        }
    }

    @Test
    void timerRecordsAlsoWhenTheSectionThrows() {
        ManualClock clock = new ManualClock(0);
        try (MetricsEngine engine = MetricsEngine.builder().clock(clock).build().start()) {
            Timer timer = engine.timer("throwing_section").register().labels();
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> timer.time(() -> {
                clock.advance(5_000);
                throw new IllegalStateException("section failed");
            }));
            assertEquals("section failed", thrown.getMessage());
            assertThrows(UnsupportedOperationException.class, () -> timer.timeSupplier(() -> {
                clock.advance(700);
                throw new UnsupportedOperationException();
            }));

            engine.close();
            HistogramPoint point = histogram(engine.snapshot(), "throwing_section");
            assertEquals(2, point.count());
            assertEquals(5_700, point.sum());
            assertEquals(700, point.min());
            assertEquals(5_000, point.max());
        }
    }

    @Test
    void batchesLargerThanTheRingApplyEveryValueUnderBlock() {
        int ring = 64;
        int length = 10_000;
        int offset = 7;
        long[] values = new long[offset + length + 5];
        long sum = 0;
        for (int i = 0; i < values.length; i++) {
            values[i] = 1 + (i * 37L) % 9_000;
        }
        for (int i = offset; i < offset + length; i++) {
            sum += values[i];
        }
        // Values outside the slice must not be recorded.
        values[offset - 1] = 1_000_000;
        values[offset + length] = 1_000_000;

        try (MetricsEngine engine = MetricsEngine.builder().ringSize(ring).backPressure(BackPressure.BLOCK).build().start()) {
            Histogram histogram = engine.histogram("batch_hist").register().labels();
            Timer timer = engine.timer("batch_timer").register().labels();
            histogram.recordBatch(values, offset, length);
            timer.recordBatch(values, offset, length);
            histogram.recordBatch(values, 0, 0);

            engine.close();
            MetricsSnapshot snapshot = engine.snapshot();
            for (String name : new String[] {"batch_hist", "batch_timer"}) {
                HistogramPoint point = histogram(snapshot, name);
                assertEquals(length, point.count(), name);
                assertEquals(sum, point.sum(), name);
                assertTrue(point.max() < 1_000_000, name + ": a value outside the slice was recorded");
                assertBucketsAddUp(point);
            }
            assertEquals(0, dropped(snapshot, "ring_full"));
        }
    }

    @Test
    void batchesOnTheSharedRingApplyEveryValueUnderBlock() throws Exception {
        int length = 5_000;
        long[] values = new long[length];
        for (int i = 0; i < length; i++) {
            values[i] = i;
        }
        try (MetricsEngine engine = MetricsEngine.builder().ringSize(64).maxProducerRings(1)
                .backPressure(BackPressure.BLOCK).build().start()) {
            engine.counter("batch_claim_total").register().labels().increment(); // takes the only dedicated ring
            Histogram histogram = engine.histogram("batch_shared").register().labels();
            runProducers(2, t -> histogram.recordBatch(values, 0, length));
            engine.close();
            HistogramPoint point = histogram(engine.snapshot(), "batch_shared");
            assertEquals(2L * length, point.count());
            assertEquals(2L * length * (length - 1) / 2, point.sum());
        }
    }

    /** Without a running aggregator a batch fills the ring and drops exactly the rest. */
    @Test
    void batchUnderDropOnAStoppedAggregatorFillsTheRingAndCountsTheRest() {
        int ring = 64;
        int length = 1_000;
        long[] values = new long[length];
        for (int i = 0; i < length; i++) {
            values[i] = i + 1;
        }
        // Histogram cells off: this is about the ring's claims.
        try (MetricsEngine engine = MetricsEngine.builder().ringSize(ring).backPressure(BackPressure.DROP)
                .histogramCellMemory(0).build()) {
            Histogram histogram = engine.histogram("batch_drop_idle").register().labels();
            histogram.recordBatch(values, 0, length);
            engine.close();
            MetricsSnapshot snapshot = engine.snapshot();
            HistogramPoint point = histogram(snapshot, "batch_drop_idle");
            assertEquals(ring, point.count());
            assertEquals((long) ring * (ring + 1) / 2, point.sum(), "the first ring-full of values was kept");
            assertEquals(length - ring, dropped(snapshot, "ring_full"));
        }
    }

    @Test
    void batchUnderDropAppliesOrCountsEveryValue() {
        int length = 100_000;
        int batches = 10;
        long[] values = new long[length];
        for (int i = 0; i < length; i++) {
            values[i] = 5;
        }
        try (MetricsEngine engine = MetricsEngine.builder().ringSize(64).backPressure(BackPressure.DROP)
                .histogramCellMemory(0).build().start()) {
            Timer timer = engine.timer("batch_drop_running").register().labels();
            Counter marker = engine.counter("batch_drop_marker_total").register().labels();
            for (int b = 0; b < batches; b++) {
                timer.recordBatch(values, 0, length);
            }
            engine.close();
            marker.increment(); // after close: counted as closed, not as ring_full

            MetricsSnapshot snapshot = engine.snapshot();
            HistogramPoint point = histogram(snapshot, "batch_drop_running");
            long dropped = dropped(snapshot, "ring_full");
            System.out.printf("batch under DROP, ring 64: applied %d, dropped %d%n", point.count(), dropped);
            assertEquals((long) batches * length, point.count() + dropped);
            assertEquals(5 * point.count(), point.sum());
            assertTrue(dropped > 0, "batches 1,500 times the ring size must overflow it");
            assertTrue(point.count() >= 64, "at least the first ring-full is applied");
            assertEquals(0, counterLong(snapshot, "batch_drop_marker"));
            assertEquals(1, dropped(snapshot, "closed"));
        }
    }
}
