package io.streammetrics.internal.cell;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared ring's counter cells: many threads add to few stripes while one writer sweeps, and nothing is lost. */
class SharedCounterCellsTest {

    @Test
    void concurrentAddsAndSweepsAddUpExactly() throws Exception {
        // Series ids over three chunks of 1,024 and a part: chunks are created by racing threads.
        int series = 3_500;
        int threads = 8;
        int adds = 200_000;
        // Fewer stripes than threads: threads share stripes, and their first touches of a series race.
        SharedCounterCells cells = new SharedCounterCells(series, 2);
        long[] applied = new long[series];
        AtomicReference<String> failure = new AtomicReference<>();
        CounterCells.CounterSink sink = (seriesId, delta) -> {
            if (delta <= 0) {
                failure.compareAndSet(null, "non-positive delta " + delta + " for series " + seriesId);
            }
            applied[seriesId] += delta;
        };
        long[][] expected = new long[threads][series];
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread worker = new Thread(() -> {
                synchronized (cells) {
                    cells.ensureStripe();
                }
                SplittableRandom random = new SplittableRandom(index);
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < adds; i++) {
                    int seriesId = random.nextInt(series);
                    long amount = 1 + random.nextInt(1_000);
                    cells.add(seriesId, amount);
                    expected[index][seriesId] += amount;
                }
            });
            workers.add(worker);
            worker.start();
        }
        AtomicBoolean done = new AtomicBoolean();
        Thread sweeper = new Thread(() -> {
            while (!done.get()) {
                cells.sweep(sink);
            }
        });
        sweeper.start();
        go.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        done.set(true);
        sweeper.join();
        cells.sweep(sink);

        long[] total = new long[series];
        for (long[] perThread : expected) {
            for (int s = 0; s < series; s++) {
                total[s] += perThread[s];
            }
        }
        assertNull(failure.get());
        assertArrayEquals(total, applied);
        assertEquals(0, cells.sweep(sink), "a sweep with nothing new changes nothing");
    }

    @Test
    void stripesFollowTheProcessorsAsPowersOfTwo() {
        int stripes = SharedCounterCells.defaultStripes();
        assertEquals(1, Integer.bitCount(stripes));
        assertTrue(stripes >= 2 && stripes <= 64, "stripes " + stripes);
        assertTrue(stripes >= Math.min(64, 2 * Runtime.getRuntime().availableProcessors()));
    }
}
