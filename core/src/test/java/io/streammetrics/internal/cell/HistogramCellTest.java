package io.streammetrics.internal.cell;

import io.streammetrics.common.HistogramLayout;
import io.streammetrics.internal.store.HistogramDelta;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/** One cell driven directly: what its sweeps hand to the store when the owner and the aggregator race. */
class HistogramCellTest {
    private static final HistogramLayout LAYOUT = new HistogramLayout(1, 3_600_000_000_000L, 2);

    /**
     * Whatever the values (spread over the whole range, so that the window grows on both sides) and wherever the
     * sweeps fall, the deltas add up to exactly what was recorded: bucket by bucket, and in sum, min and max.
     */
    @Test
    void sweepsAddUpToTheRecordsAcrossWindowGrowth() {
        SplittableRandom random = new SplittableRandom(12);
        for (int run = 0; run < 20; run++) {
            HistogramCell cell = new HistogramCell(0, 0, LAYOUT);
            HistogramDelta delta = new HistogramDelta(LAYOUT);
            long[] expected = new long[LAYOUT.countsLength()];
            long[] taken = new long[LAYOUT.countsLength()];
            long expectedSum = 0;
            long takenSum = 0;
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            int center = random.nextInt(20, 40);
            for (int i = 0; i < 20_000; i++) {
                // log-uniform around 2^center, now and then anywhere in the range
                long value = random.nextInt(50) == 0 ? random.nextLong(LAYOUT.highestTrackableValue() + 1)
                        : Math.min(LAYOUT.highestTrackableValue(), (long) Math.scalb(1 + random.nextDouble(),
                        center + random.nextInt(-8, 8)));
                cell.record(value);
                expected[LAYOUT.indexOf(value)]++;
                expectedSum += value;
                min = Math.min(min, value);
                max = Math.max(max, value);
                if (random.nextInt(500) == 0 && cell.sweep(delta)) {
                    for (int b = 0; b < delta.size(); b++) {
                        taken[delta.bucket(b)] += delta.count(b);
                    }
                    takenSum += delta.sum();
                }
            }
            if (cell.sweep(delta)) {
                for (int b = 0; b < delta.size(); b++) {
                    taken[delta.bucket(b)] += delta.count(b);
                }
                takenSum += delta.sum();
                assertEquals(min, delta.min());
                assertEquals(max, delta.max());
            }
            assertArrayEquals(expected, taken, "run " + run);
            assertEquals(expectedSum, takenSum, "run " + run);
            assertFalse(cell.sweep(delta), "nothing left after the last sweep");
        }
    }

    /**
     * A sweep that takes a record's bucket also takes that record's part in min and max, so the store never holds a
     * count without its minimum and maximum (the sentinels, or a maximum below its highest bucket, until the thread
     * records there again). The owner records into fresh cells, each value a new minimum (or, in every other cell, a
     * new maximum), while a sweeper sweeps the current cell back to back and checks every sweep: the lowest value
     * taken must lie in or below the lowest bucket taken, the highest in or above the highest. Runs for two seconds
     * or until the first violation.
     */
    @Test
    void aSweepThatTakesARecordTakesItsMinAndMax() throws Exception {
        long runNanos = 2_000_000_000L;
        int buckets = 4_000;
        AtomicReference<HistogramCell> current = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread owner = new Thread(() -> {
            for (int round = 0; !stop.get(); round++) {
                HistogramCell cell = new HistogramCell(0, 0, LAYOUT);
                current.set(cell);
                for (int k = 0; k <= buckets && !stop.get(); k++) {
                    int index = round % 2 == 0 ? buckets - k : k;
                    cell.record(LAYOUT.valueAt(index));
                }
            }
        });
        owner.setDaemon(true);
        owner.start();
        HistogramDelta delta = new HistogramDelta(LAYOUT);
        HistogramCell seen = null;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        int low = Integer.MAX_VALUE;
        int high = -1;
        String violation = null;
        long deadline = System.nanoTime() + runNanos;
        try {
            while (violation == null && System.nanoTime() < deadline) {
                HistogramCell cell = current.get();
                if (cell == null) {
                    continue;
                }
                if (cell != seen) {
                    seen = cell;
                    min = Long.MAX_VALUE;
                    max = Long.MIN_VALUE;
                    low = Integer.MAX_VALUE;
                    high = -1;
                }
                if (!cell.sweep(delta)) {
                    continue;
                }
                for (int i = 0; i < delta.size(); i++) {
                    low = Math.min(low, delta.bucket(i));
                    high = Math.max(high, delta.bucket(i));
                }
                if (delta.size() > 0) {
                    min = Math.min(min, delta.min());
                    max = Math.max(max, delta.max());
                }
                if (high >= 0 && (min > LAYOUT.highestValueAt(low) || max < LAYOUT.valueAt(high))) {
                    violation = "a sweep took buckets " + low + " to " + high + " (values " + LAYOUT.valueAt(low)
                            + " to " + LAYOUT.highestValueAt(high) + ") but min " + min + " and max " + max;
                }
            }
        } finally {
            stop.set(true);
            owner.join();
        }
        if (violation != null) {
            fail(violation);
        }
    }
}
