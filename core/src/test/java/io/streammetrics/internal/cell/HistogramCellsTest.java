package io.streammetrics.internal.cell;

import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Timer;
import io.streammetrics.metric.TimerFamily;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.GaugePoint;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.snapshot.SeriesPoint;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Histogram records kept in per-thread cells reach the store exactly and promptly, and cells go back to the budget. */
class HistogramCellsTest {
    /**
     * Room for one cell holding the values 1 to 10,000 (its window: 16 blocks of 64 buckets at the default precision),
     * not two.
     */
    private static final long ONE_CELL = HistogramCell.bytesFor(16 * HistogramCell.BLOCK_SIZE, false);

    private static HistogramPoint histogram(MetricsSnapshot snapshot, String family) {
        return (HistogramPoint) snapshot.family(family).points().get(0);
    }

    private static long counter(MetricsSnapshot snapshot, String family) {
        return ((CounterPoint) snapshot.family(family).points().get(0)).longValue();
    }

    @Test
    void aSnapshotSeesEveryRecordMadeBeforeIt() {
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).build().start()) {
            Timer timer = engine.timer("seen_seconds").register().labels();
            long sum = 0;
            for (int round = 1; round <= 200; round++) {
                for (int i = 0; i < round; i++) {
                    timer.record(round * 1_000L + i);
                    sum += round * 1_000L + i;
                }
                HistogramPoint point = histogram(engine.snapshot(), "seen_seconds");
                assertEquals((long) round * (round + 1) / 2, point.count(), "count after round " + round);
                assertEquals(sum, point.sum(), "sum after round " + round);
                assertEquals(1_000, point.min());
                assertEquals(round * 1_000L + round - 1, point.max());
            }
        }
    }

    @Test
    void aThreadRecordingIntoManyColdHistogramsTakesNoCells() {
        // One record on each of 2,000 timers, then another round: far below a cell's worth of records per sweep
        // period, so every record is an event and the thread holds no cell (no budget taken).
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).backPressure(BackPressure.BLOCK)
                .build().start()) {
            TimerFamily family = engine.timer("cold_seconds").labelNames("partition").register();
            Timer[] timers = new Timer[2_000];
            for (int i = 0; i < timers.length; i++) {
                timers[i] = family.labels(Integer.toString(i));
            }
            for (int round = 0; round < 2; round++) {
                for (Timer timer : timers) {
                    timer.record(1_000);
                }
            }
            MetricsSnapshot snapshot = engine.snapshot();
            assertEquals(2L * timers.length, counter(snapshot, "streammetrics_events_published"));
            for (SeriesPoint point : snapshot.family("cold_seconds").points()) {
                assertEquals(2, ((HistogramPoint) point).count());
            }
        }
    }

    @Test
    void aHotHistogramGetsACellAndItsRecordsStopTravellingAsEvents() {
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).build().start()) {
            Timer timer = engine.timer("hot_seconds").register().labels();
            long recorded = 0;
            // A record every 100 us for 200 ms: 100 in each 10 ms sweep period, hot.
            long start = System.nanoTime();
            long end = start + TimeUnit.MILLISECONDS.toNanos(200);
            for (long next = start; next < end; next += 100_000) {
                while (System.nanoTime() < next) {
                    Thread.onSpinWait();
                }
                timer.record(1_000 + recorded % 1_000);
                recorded++;
            }
            long events = counter(engine.snapshot(), "streammetrics_events_published");
            for (int i = 0; i < 10_000; i++) {
                timer.record(5_000);
            }
            MetricsSnapshot snapshot = engine.snapshot();
            assertEquals(recorded + 10_000, histogram(snapshot, "hot_seconds").count());
            assertEquals(events, counter(snapshot, "streammetrics_events_published"),
                    "once hot, the thread's records go to its cell");
        }
    }

    @Test
    void anEndedThreadsCellGoesBackToTheBudgetWithItsCountsKept() throws Exception {
        int threads = 6;
        int records = 1_000_000;
        // One cell's worth of budget: each thread gets it only if the ended thread before it gave it back. A thread's
        // first records are events (until the ring is half full and the loop shows itself hot), the rest go to
        // its cell: far fewer events than records, unless it found no budget.
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).histogramCellMemory(ONE_CELL)
                .backPressure(BackPressure.BLOCK).build()) {
            Timer timer = engine.timer("short_lived_seconds").register().labels();
            engine.start();
            long sum = 0;
            for (int t = 0; t < threads; t++) {
                long before = counter(engine.snapshot(), "streammetrics_events_published");
                Thread thread = new Thread(() -> {
                    for (int i = 1; i <= records; i++) {
                        timer.record(1 + i % 10_000);
                    }
                });
                thread.start();
                thread.join();
                awaitNoProducers(engine);
                long events = counter(engine.snapshot(), "streammetrics_events_published") - before;
                assertTrue(events < records / 2, "thread " + t + " found no cell: " + events + " of " + records
                        + " records were events (the budget was not given back)");
            }
            for (int i = 1; i <= records; i++) {
                sum += 1 + i % 10_000;
            }
            HistogramPoint point = histogram(engine.snapshot(), "short_lived_seconds");
            assertEquals((long) threads * records, point.count());
            assertEquals(threads * sum, point.sum());
        }
    }

    /** Waits until the aggregator has retired every dedicated ring (threads ended; checked every 100 ms). */
    private static void awaitNoProducers(MetricsEngine engine) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (((GaugePoint) engine.snapshot().family("streammetrics_ring_producers").points().get(0)).value() > 0) {
            assertTrue(System.nanoTime() < deadline, "the ended thread's ring was not retired within 5 s");
            Thread.sleep(10);
        }
    }
}
