package io.streammetrics.ring;

import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Timer;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.GaugePoint;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.MetricsSnapshot;
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
            assertEquals(0, counter(engine.snapshot(), "streammetrics_events_published"), "every record was in a cell");
        }
    }

    @Test
    void anEndedThreadsCellGoesBackToTheBudgetWithItsCountsKept() throws Exception {
        int threads = 6;
        int records = 10_000;
        // One cell's worth of budget: each thread gets it only if the ended thread before it gave it back.
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).histogramCellMemory(ONE_CELL)
                .backPressure(BackPressure.BLOCK).build().start()) {
            Timer timer = engine.timer("short_lived_seconds").register().labels();
            for (int t = 0; t < threads; t++) {
                Thread thread = new Thread(() -> {
                    for (int i = 1; i <= records; i++) {
                        timer.record(i);
                    }
                });
                thread.start();
                thread.join();
                awaitNoProducers(engine);
            }
            MetricsSnapshot snapshot = engine.snapshot();
            HistogramPoint point = histogram(snapshot, "short_lived_seconds");
            assertEquals((long) threads * records, point.count());
            assertEquals((long) threads * records * (records + 1) / 2, point.sum());
            assertEquals(0, counter(snapshot, "streammetrics_events_published"),
                    "a thread found no cell: the budget was not given back");
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
