package io.streammetrics.internal.cell;

import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Counter;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.GaugePoint;
import io.streammetrics.snapshot.MetricsSnapshot;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Counter increments kept in per-thread cells reach the store exactly, promptly, and survive their thread. */
class CounterCellsTest {
    private static long counter(MetricsSnapshot snapshot, String family) {
        return ((CounterPoint) snapshot.family(family).points().get(0)).longValue();
    }

    @Test
    void aSnapshotSeesEveryIncrementMadeBeforeIt() {
        try (MetricsEngine engine = MetricsEngine.builder().build().start()) {
            Counter counter = engine.counter("seen_total").register().labels();
            for (int round = 1; round <= 200; round++) {
                for (int i = 0; i < round; i++) {
                    counter.increment();
                }
                long expected = (long) round * (round + 1) / 2;
                assertEquals(expected, counter(engine.snapshot(), "seen"), "after round " + round);
            }
        }
    }

    @Test
    void totalsOfThreadsThatEndedAreKeptWhenTheirRingsRetire() throws Exception {
        int threads = 40;
        int increments = 10_000;
        // Threads that find every dedicated ring taken (their owners ended but are not retired yet) use the shared
        // ring and its shared counter cells: DROP (the default) loses none of their increments either.
        try (MetricsEngine engine = MetricsEngine.builder().maxProducerRings(4).build().start()) {
            Counter counter = engine.counter("short_lived_total").register().labels();
            for (int t = 0; t < threads; t++) {
                Thread thread = new Thread(() -> {
                    for (int i = 0; i < increments; i++) {
                        counter.increment();
                    }
                });
                thread.start();
                thread.join();
            }
            assertEquals((long) threads * increments, counter(engine.snapshot(), "short_lived"));

            // The ended threads' rings are retired (every 100 ms), and their totals stay in the store.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            double producers;
            do {
                Thread.sleep(20);
                producers = ((GaugePoint) engine.snapshot().family("streammetrics_ring_producers").points().get(0)).value();
            } while (producers > 1 && System.nanoTime() < deadline);
            assertTrue(producers <= 1, "rings of ended threads were not retired: " + producers);
            assertEquals((long) threads * increments, counter(engine.snapshot(), "short_lived"));
        }
    }

    @Test
    void manyThreadsShareOneHandleExactly() throws Exception {
        int threads = 7;
        int increments = 200_000;
        try (MetricsEngine engine = MetricsEngine.builder().build().start()) {
            Counter counter = engine.counter("crowded_total").register().labels();
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            Thread[] workers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                workers[t] = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < increments; i++) {
                        counter.increment();
                    }
                });
                workers[t].start();
            }
            start.countDown();
            for (Thread worker : workers) {
                worker.join();
            }
            assertEquals((long) threads * increments, counter(engine.snapshot(), "crowded"));
        }
    }

    @Test
    void negativeIncrementsStillReachTheAggregatorToBeRejectedAndCounted() {
        try (MetricsEngine engine = MetricsEngine.builder().build().start()) {
            Counter counter = engine.counter("signed_total").register().labels();
            counter.add(5);
            counter.add(-3);
            counter.add(0);
            MetricsSnapshot snapshot = engine.snapshot();
            assertEquals(5, counter(snapshot, "signed"));
            CounterPoint negative = (CounterPoint) snapshot.family("streammetrics_values_rejected").point("negative");
            assertEquals(1, negative.longValue());
        }
    }
}
