package io.streammetrics.internal.store;

import io.streammetrics.common.ClassicBuckets;
import io.streammetrics.common.HistogramLayout;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The read-epoch protocol of {@link MetricStore}, driven directly: a writer thread records while a reader opens
 * epochs and reads, and single-threaded sequences checked against a model.
 */
class MetricStoreReadTest {
    private static final HistogramLayout LAYOUT = new HistogramLayout(1, 3_600_000_000_000L, 2);
    private static final long RUN_NANOS = 1_500_000_000L;
    /**
     * How long the run may go on past {@link #RUN_NANOS} until it has its minimum of reads and shadow reads: on a
     * 2-core machine under a parallel build the reader may get the CPU only a few times in 1.5 s.
     */
    private static final long MAX_RUN_NANOS = 60_000_000_000L;
    /** Classic bounds of every test histogram: on, next to and between the test values (raw units). */
    private static final ClassicBuckets CLASSIC = ClassicBuckets.of(LAYOUT,
            new double[] {0, 7, 100, 1000, 1003, 123_456, 5_000_000, 5_000_003, 1e9, 1L << 40}, 1);

    /** A store of {@code histograms} histograms, each registered with {@link #CLASSIC} bounds. */
    private static MetricStore newStore(int histograms) {
        StoreLayout layout = new StoreLayout(4, 16, LAYOUT.countsLength());
        MetricStore store = MetricStore.create(layout, LAYOUT, MetricStore.MIN_MEMORY_LIMIT, null, 0, 0);
        for (int h = 0; h < histograms; h++) {
            store.writeSeries(h, 0, h, List.of(), 0, CLASSIC);
        }
        return store;
    }

    /**
     * The classic reading agrees with the HDR reading of the same state: same count and sum, and each classic bucket
     * holds exactly the HDR buckets {@link #CLASSIC} maps to it (so they add up to the count).
     */
    /** The classic buckets add up to the count (cumulatively: {@code +Inf} is the count). */
    private static void checkClassicAddsUp(ClassicReading classic, String where) {
        long sum = 0;
        for (int k = 0; k <= classic.boundCount(); k++) {
            sum += classic.bucketCount(k);
        }
        if (classic.boundCount() != CLASSIC.boundCount() || sum != classic.count()) {
            fail(where + ": classic buckets of " + classic.boundCount() + " bounds add up to " + sum + ", count "
                    + classic.count());
        }
    }

    private static void checkClassic(ClassicReading classic, HistogramReading buckets, String where) {
        checkClassicAddsUp(classic, where);
        long[] expected = new long[CLASSIC.boundCount() + 1];
        for (int i = buckets.lowIndex(); i <= buckets.highIndex(); i++) {
            expected[CLASSIC.bucketOf(i)] += buckets.countAt(i);
        }
        long[] actual = new long[expected.length];
        for (int k = 0; k < actual.length; k++) {
            actual[k] = classic.bucketCount(k);
        }
        if (classic.count() != buckets.count() || classic.sum() != buckets.sum() || !Arrays.equals(expected, actual)) {
            fail(where + ": classic reading count " + classic.count() + " sum " + classic.sum() + " buckets "
                    + Arrays.toString(actual) + " differs from the HDR reading of the same epoch: count "
                    + buckets.count() + " sum " + buckets.sum() + " mapped " + Arrays.toString(expected));
        }
    }

    // ------------------------------------------------------------------ concurrent: one writer, one reader

    @Test
    void constantValueReadsAreConsistentWhileTheWriterIsHot() throws Exception {
        concurrent("constant", new long[] {123_456}, 1);
    }

    @Test
    void twoValueReadsAreConsistentWhileTheWriterIsHot() throws Exception {
        concurrent("two values", new long[] {7, 5_000_003}, 1);
    }

    @Test
    void manyBucketReadsAreConsistentWhileTheWriterIsHot() throws Exception {
        // one value per bucket, spread from bucket 0 to high indexes, so that shadow copies and in-place reads cover
        // wide, growing low..high ranges
        SplittableRandom random = new SplittableRandom(42);
        Set<Integer> indexes = new LinkedHashSet<>();
        indexes.add(0);
        indexes.add(LAYOUT.indexOf(1L << 40));
        while (indexes.size() < 40) {
            indexes.add(random.nextInt(LAYOUT.indexOf(1L << 40) + 1));
        }
        long[] values = new long[indexes.size()];
        int i = 0;
        for (int index : indexes) {
            long low = LAYOUT.valueAt(index);
            long high = LAYOUT.highestValueAt(index);
            values[i++] = low + (high > low ? random.nextLong(high - low + 1) : 0);
        }
        concurrent("many buckets", values, 1);
    }

    @Test
    void twoHistogramsWrittenAlternatelyAreReadAtTheSameEpochPoint() throws Exception {
        // The writer records into histogram 0, then 1, then 0, ... Every histogram is read either untouched since
        // the epoch opened or frozen in its shadow at its first write in the epoch: both reflect the same prefix of
        // the writer's sequence, so histogram 0 is ahead of histogram 1 by at most one record.
        concurrent("two histograms", new long[] {99}, 2);
    }

    /**
     * Runs a writer recording {@code values} (each in its own bucket) round robin over {@code histograms} histograms,
     * and a reader that checks every read.
     */
    private static void concurrent(String name, long[] values, int histograms) throws Exception {
        Map<Integer, Long> valueOfBucket = new HashMap<>();
        for (long v : values) {
            Long previous = valueOfBucket.put(LAYOUT.indexOf(v), v);
            assertTrue(previous == null, "test values must lie in distinct buckets");
        }
        MetricStore store = newStore(histograms);
        long[] pattern = new long[4096];
        SplittableRandom random = new SplittableRandom(name.hashCode());
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = values[random.nextInt(values.length)];
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong progress = new AtomicLong(); // records completed; a volatile write after each record
        Thread writer = new Thread(() -> {
            long n = 0;
            int h = 0;
            while (!stop.get()) {
                for (int k = 0; k < 256; k++) {
                    store.histogramRecord(h, pattern[(int) (n & (pattern.length - 1))], 1);
                    progress.set(++n);
                    if (++h == histograms) {
                        h = 0;
                    }
                }
            }
        }, "writer");
        writer.setDaemon(true);
        writer.start();

        HistogramReading[] readings = new HistogramReading[histograms];
        ClassicReading[] classics = new ClassicReading[histograms];
        for (int h = 0; h < histograms; h++) {
            readings[h] = new HistogramReading(LAYOUT);
            classics[h] = new ClassicReading();
        }
        long[] lastCount = new long[histograms];
        long reads = 0;
        long shadowReads = 0;
        long nonEmptyReads = 0;
        long readNanosTotal = 0;
        long readNanosMax = 0;
        long waitNanosTotal = 0;
        long started = System.nanoTime();
        try {
            for (long iteration = 0; System.nanoTime() - started < RUN_NANOS
                    || (reads < 20 || shadowReads == 0) && System.nanoTime() - started < MAX_RUN_NANOS; iteration++) {
                long before = progress.get();
                long epoch = store.beginRead();
                assertEquals(1, epoch & 1, "an open epoch is odd");
                boolean delayed = iteration % 4 == 0;
                long waitStart = System.nanoTime();
                long c0 = progress.get();
                if (delayed) {
                    // Wait until the writer has completed two more records: the second of them started after this
                    // thread saw c0, so its epoch check saw this epoch and froze every histogram it then wrote.
                    long deadline = System.nanoTime() + 30_000_000_000L;
                    while (progress.get() < c0 + 2) {
                        if (System.nanoTime() > deadline) {
                            fail("writer made no progress for 30 s");
                        }
                        Thread.onSpinWait();
                    }
                }
                long readStart = System.nanoTime();
                boolean together = iteration % 2 == 0;
                for (int h = 0; h < histograms; h++) {
                    if (together) {
                        // Buckets and classic counts from one state: they must agree exactly.
                        store.read(h, epoch, readings[h], classics[h]);
                    } else {
                        store.readHistogram(h, epoch, readings[h]);
                        store.readClassic(h, epoch, classics[h]);
                    }
                }
                long readNanos = System.nanoTime() - readStart;
                readNanosTotal += readNanos;
                readNanosMax = Math.max(readNanosMax, readNanos);
                waitNanosTotal += readStart - waitStart;
                long after = progress.get();
                store.endRead();

                for (int h = 0; h < histograms; h++) {
                    HistogramReading r = readings[h];
                    checkReading(r, valueOfBucket, name);
                    ClassicReading classic = classics[h];
                    if (together) {
                        checkClassic(classic, r, name + ": histogram " + h);
                    } else {
                        checkClassicAddsUp(classic, name + ": histogram " + h);
                        // A separate read of the same epoch: at most the one update in flight when it opened apart.
                        if (classic.count() < r.count() || classic.count() > recordsOf(h, after + 1, histograms)) {
                            fail(name + ": histogram " + h + " classic count " + classic.count() + " after "
                                    + r.count() + " read in the same epoch, " + after + " records written");
                        }
                    }
                    // records of histogram h among the first n records of the round robin
                    long atLeast = recordsOf(h, before, histograms);
                    long atMost = recordsOf(h, after + 1, histograms);
                    if (r.count() < atLeast || r.count() > atMost) {
                        fail(name + ": histogram " + h + " read count " + r.count() + " outside " + atLeast + ".." + atMost);
                    }
                    if (r.count() < lastCount[h]) {
                        fail(name + ": count went back from " + lastCount[h] + " to " + r.count());
                    }
                    lastCount[h] = r.count();
                    if (r.count() > 0) {
                        nonEmptyReads++;
                    }
                }
                if (delayed) {
                    // The writer wrote after the epoch opened, yet every read reflects the state at most one record
                    // past c0: an in-place read would have seen at least c0 + 2 records, so this came from the
                    // shadow. (The first records may not have touched every histogram yet: only the written ones
                    // were frozen, the others read in place are bounded the same way.)
                    for (int h = 0; h < histograms; h++) {
                        long bound = recordsOf(h, c0 + 1, histograms);
                        if (readings[h].count() > bound || classics[h].count() > bound) {
                            fail(name + ": histogram " + h + " read " + readings[h].count() + " (classic "
                                    + classics[h].count() + ") records in an epoch that opened before record " + (c0 + 1)
                                    + " completed: the read did not come from the epoch's frozen state");
                        }
                    }
                    shadowReads++;
                }
                if (histograms == 2 && readings[0].count() - readings[1].count() != 0
                        && readings[0].count() - readings[1].count() != 1) {
                    fail(name + ": histograms read at different points of the writer's sequence: "
                            + readings[0].count() + " and " + readings[1].count());
                }
                reads++;
            }
        } finally {
            stop.set(true);
            writer.join(10_000);
        }
        assertTrue(!writer.isAlive(), "writer did not stop");
        // the final state, read in place after the writer stopped
        long epoch = store.beginRead();
        for (int h = 0; h < histograms; h++) {
            store.readHistogram(h, epoch, readings[h]);
            checkReading(readings[h], valueOfBucket, name);
            assertEquals(recordsOf(h, progress.get(), histograms), readings[h].count(), name + ": final count");
        }
        store.endRead();
        System.out.printf("MetricStoreReadTest %s: %d records written, %d epochs read (%d non-empty histogram reads), "
                        + "%d reads proven to come from the shadow; readHistogram took %d ms in all (max %d us per epoch), "
                        + "waiting for the writer %d ms%n",
                name, progress.get(), reads, nonEmptyReads, shadowReads, readNanosTotal / 1_000_000,
                readNanosMax / 1000, waitNanosTotal / 1_000_000);
        assertTrue(shadowReads > 0, "the shadow path was never exercised");
        assertTrue(reads >= 20, "too few reads: " + reads);
    }

    /** Records histogram {@code h} received among the writer's first {@code n} (round robin over {@code histograms}). */
    private static long recordsOf(int h, long n, int histograms) {
        return n / histograms + (h < n % histograms ? 1 : 0);
    }

    /** Count equals the bucket counts' sum; sum, min and max agree with the buckets (one distinct value each). */
    private static void checkReading(HistogramReading r, Map<Integer, Long> valueOfBucket, String name) {
        if (r.count() == 0) {
            if (r.sum() != 0 || r.min() != 0 || r.max() != 0 || r.highIndex() != -1 || r.lowIndex() != 0) {
                fail(name + ": empty reading with data: sum=" + r.sum() + " min=" + r.min() + " max=" + r.max()
                        + " low=" + r.lowIndex() + " high=" + r.highIndex());
            }
            return;
        }
        long count = 0;
        long sum = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = r.lowIndex(); i <= r.highIndex(); i++) {
            long c = r.countAt(i);
            if (c == 0) {
                continue;
            }
            Long value = valueOfBucket.get(i);
            if (c < 0 || value == null) {
                fail(name + ": count " + c + " in bucket " + i + ", which no value was recorded into");
            }
            count += c;
            sum += c * value;
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        if (count != r.count()) {
            fail(name + ": count " + r.count() + " != sum of bucket counts " + count + " " + Arrays.toString(r.copyCounts()));
        }
        if (sum != r.sum()) {
            fail(name + ": sum " + r.sum() + " != sum over the buckets " + sum + " (count " + count + ")");
        }
        if (min != r.min() || max != r.max()) {
            fail(name + ": min/max " + r.min() + "/" + r.max() + " but the buckets hold " + min + ".." + max);
        }
        if (r.countAt(r.lowIndex()) == 0 || r.countAt(r.highIndex()) == 0) {
            fail(name + ": lowIndex/highIndex bucket empty");
        }
    }

    // ------------------------------------------------------------------ single-threaded

    @Test
    void aWriteInAnOpenEpochIsNotSeenUntilTheNextEpoch() {
        MetricStore store = newStore(2);
        HistogramReading r = new HistogramReading(LAYOUT);
        store.histogramRecord(0, 10, 1);
        store.histogramRecord(0, 1000, 2);

        long epoch = store.beginRead();
        store.readHistogram(0, epoch, r);
        assertState(r, 3, 2010, 10, 1000); // untouched: read in place
        store.histogramRecord(0, 5, 1); // first write in the epoch: copies the pre-write state to the shadow
        store.readHistogram(0, epoch, r);
        assertState(r, 3, 2010, 10, 1000);
        store.histogramRecord(0, 1_000_000, 4); // later writes in the same epoch: no new copy
        store.readHistogram(0, epoch, r);
        assertState(r, 3, 2010, 10, 1000);
        assertEquals(1, r.countAt(LAYOUT.indexOf(10)));
        assertEquals(2, r.countAt(LAYOUT.indexOf(1000)));
        store.endRead();

        long next = store.beginRead();
        assertTrue(next > epoch && (next & 1) == 1, "a new, odd epoch");
        store.readHistogram(0, next, r);
        assertState(r, 8, 2010 + 5 + 4_000_000, 5, 1_000_000);
        assertEquals(1, r.countAt(LAYOUT.indexOf(5)));
        assertEquals(4, r.countAt(LAYOUT.indexOf(1_000_000)));
        store.histogramRecord(0, 7, 1);
        store.readHistogram(0, next, r);
        assertState(r, 8, 2010 + 5 + 4_000_000, 5, 1_000_000);
        store.endRead();
    }

    @Test
    void aHistogramFirstWrittenAfterTheEpochOpenedReadsEmpty() {
        MetricStore store = newStore(3);
        HistogramReading r = new HistogramReading(LAYOUT);
        store.histogramRecord(0, 42, 1);
        long epoch = store.beginRead();
        store.histogramRecord(1, 77, 3);
        store.histogramRecord(1, LAYOUT.highestTrackableValue(), 1);
        store.readHistogram(1, epoch, r);
        assertState(r, 0, 0, 0, 0);
        assertEquals(0, r.lowIndex());
        assertEquals(-1, r.highIndex());
        assertEquals(0, r.copyCounts().length);
        store.readHistogram(2, epoch, r); // never written at all
        assertState(r, 0, 0, 0, 0);
        store.readHistogram(0, epoch, r); // written only before the epoch
        assertState(r, 1, 42, 42, 42);
        store.endRead();

        epoch = store.beginRead();
        store.readHistogram(1, epoch, r);
        assertState(r, 4, 231 + LAYOUT.highestTrackableValue(), 77, LAYOUT.highestTrackableValue());
        assertEquals(LAYOUT.indexOf(77), r.lowIndex());
        assertEquals(LAYOUT.indexOf(LAYOUT.highestTrackableValue()), r.highIndex());
        store.endRead();
    }

    /** Model-based: random writes, epochs and reads on a few histograms, every read compared bucket for bucket. */
    @Test
    void randomSequencesMatchAModelOfTheEpochState() {
        long[] pool = new long[64];
        SplittableRandom poolRandom = new SplittableRandom(1);
        for (int i = 0; i < pool.length; i++) {
            switch (i % 4) {
                case 0:
                    pool[i] = poolRandom.nextInt(300);
                    break;
                case 1:
                    pool[i] = 1L << poolRandom.nextInt(42);
                    break;
                case 2:
                    pool[i] = LAYOUT.valueAt(poolRandom.nextInt(LAYOUT.countsLength()));
                    break;
                default:
                    pool[i] = poolRandom.nextLong(LAYOUT.highestTrackableValue() + 1);
            }
        }
        pool[0] = 0;
        pool[1] = LAYOUT.highestTrackableValue();
        long operations = 0;
        long reads = 0;
        for (int seed = 0; seed < 300; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            int histograms = 1 + random.nextInt(4);
            MetricStore store = newStore(histograms);
            Model[] current = new Model[histograms];
            for (int h = 0; h < histograms; h++) {
                current[h] = new Model();
            }
            Model[] atOpen = null;
            long epoch = 0;
            HistogramReading r = new HistogramReading(LAYOUT);
            ClassicReading classic = new ClassicReading();
            int steps = 50 + random.nextInt(400);
            for (int step = 0; step < steps; step++) {
                operations++;
                int op = random.nextInt(10);
                if (op < 6) {
                    int h = random.nextInt(histograms);
                    long v = pool[random.nextInt(pool.length)];
                    // Counts that make pages widen through every width: 1, 2, 4 and 8 bytes a bucket.
                    int size = random.nextInt(40);
                    long c = size == 0 ? 1 + random.nextLong(1L << 34) : size < 3 ? 60_000 + random.nextInt(10_000)
                            : size < 8 ? 1 + random.nextInt(1000) : 1;
                    store.histogramRecord(h, v, c);
                    current[h].add(v, c);
                } else if (op < 7) {
                    if (atOpen == null) {
                        long next = store.beginRead();
                        assertTrue(next > epoch && (next & 1) == 1, "epochs increase and are odd while open");
                        epoch = next;
                        atOpen = new Model[histograms];
                        for (int h = 0; h < histograms; h++) {
                            atOpen[h] = current[h].copy();
                        }
                    }
                } else if (op < 8) {
                    if (atOpen != null) {
                        store.endRead();
                        atOpen = null;
                    }
                } else if (atOpen != null) {
                    int h = random.nextInt(histograms);
                    store.readHistogram(h, epoch, r);
                    atOpen[h].assertMatches(r, "seed " + seed + " step " + step + " histogram " + h);
                    store.readClassic(h, epoch, classic);
                    checkClassic(classic, r, "seed " + seed + " step " + step + " histogram " + h);
                    reads++;
                }
            }
            if (atOpen != null) {
                store.endRead();
            }
            // a last epoch sees everything
            epoch = store.beginRead();
            for (int h = 0; h < histograms; h++) {
                store.readHistogram(h, epoch, r);
                current[h].assertMatches(r, "seed " + seed + " final histogram " + h);
                store.readClassic(h, epoch, classic);
                checkClassic(classic, r, "seed " + seed + " final histogram " + h);
                reads++;
            }
            store.endRead();
        }
        System.out.printf("MetricStoreReadTest model: 300 seeds, %d operations, %d reads compared%n", operations, reads);
    }

    private static void assertState(HistogramReading r, long count, long sum, long min, long max) {
        assertEquals(count, r.count(), "count");
        assertEquals(sum, r.sum(), "sum");
        assertEquals(min, r.min(), "min");
        assertEquals(max, r.max(), "max");
        long bucketSum = 0;
        for (int i = r.lowIndex(); i <= r.highIndex(); i++) {
            bucketSum += r.countAt(i);
        }
        assertEquals(count, bucketSum, "count vs bucket counts");
    }

    private static final class Model {
        final TreeMap<Integer, Long> buckets = new TreeMap<>();
        long count;
        long sum;
        long min;
        long max;

        void add(long value, long c) {
            if (count == 0) {
                min = value;
                max = value;
            } else {
                min = Math.min(min, value);
                max = Math.max(max, value);
            }
            count += c;
            sum += value * c;
            buckets.merge(LAYOUT.indexOf(value), c, Long::sum);
        }

        Model copy() {
            Model m = new Model();
            m.buckets.putAll(buckets);
            m.count = count;
            m.sum = sum;
            m.min = min;
            m.max = max;
            return m;
        }

        void assertMatches(HistogramReading r, String where) {
            assertEquals(count, r.count(), "count at " + where);
            assertEquals(sum, r.sum(), "sum at " + where);
            assertEquals(min, r.min(), "min at " + where);
            assertEquals(max, r.max(), "max at " + where);
            if (count == 0) {
                assertEquals(-1, r.highIndex(), where);
                return;
            }
            assertEquals(buckets.firstKey(), r.lowIndex(), "lowIndex at " + where);
            assertEquals(buckets.lastKey(), r.highIndex(), "highIndex at " + where);
            List<String> diffs = new ArrayList<>();
            for (int i = r.lowIndex(); i <= r.highIndex(); i++) {
                long want = buckets.getOrDefault(i, 0L);
                if (r.countAt(i) != want) {
                    diffs.add(i + ": " + r.countAt(i) + " != " + want);
                }
            }
            assertTrue(diffs.isEmpty(), "bucket counts at " + where + ": " + diffs);
        }
    }
}
