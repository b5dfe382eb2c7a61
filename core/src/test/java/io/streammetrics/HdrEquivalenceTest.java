package io.streammetrics;

import io.streammetrics.common.HistogramLayout;
import io.streammetrics.metric.HistogramFamily;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.FamilySnapshot;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.snapshot.SeriesPoint;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Property test: for many random value sets, what the engine records and snapshots is what an
 * {@code org.HdrHistogram.Histogram} with the same settings holds after recording the same (clamped) values, and
 * {@link HistogramPoint}'s exact count, sum, min and max are right.
 */
class HdrEquivalenceTest {
    private static final double[] PERCENTILES;

    static {
        PERCENTILES = new double[1001 + 3];
        for (int i = 0; i <= 1000; i++) {
            PERCENTILES[i] = i / 10.0;
        }
        PERCENTILES[1001] = 99.9;
        PERCENTILES[1002] = 99.99;
        PERCENTILES[1003] = 99.999;
    }

    /** What one seed recorded, as the engine should have applied it. */
    private static final class Expected {
        final int seed;
        final Histogram reference;
        long count;
        long sum;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        long clamped;
        long negatives;
        long published;

        Expected(int seed, HistogramLayout layout) {
            this.seed = seed;
            this.reference = new Histogram(layout.lowestDiscernibleValue(), layout.highestTrackableValue(),
                    layout.significantDigits());
        }

        void add(long raw, long highest) {
            published++;
            if (raw < 0) {
                negatives++;
                return;
            }
            long v = raw;
            if (v > highest) {
                v = highest;
                clamped++;
            }
            reference.recordValue(v);
            count++;
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
    }

    private static final class Totals {
        int seeds;
        long values;
        long clamped;
        long negatives;
        long published;
    }

    @Test
    void defaultLayoutMatchesHdrHistogram() {
        Totals totals = run(MetricsEngine.builder(), 0, 220, true);
        System.out.printf("HdrEquivalenceTest default layout: %d seeds x %d values checked (%d clamped, %d negative rejected)%n",
                totals.seeds, totals.values, totals.clamped, totals.negatives);
    }

    @Test
    void defaultLayoutThroughRingEventsMatchesHdrHistogram() {
        // Histogram cells off: every value is a ring event applied one by one.
        Totals totals = run(MetricsEngine.builder().histogramCellMemory(0), 0, 120, true);
        System.out.printf("HdrEquivalenceTest default layout, ring events: %d seeds x %d values checked%n",
                totals.seeds, totals.values);
    }

    @Test
    void customLayoutMatchesHdrHistogram() {
        Totals totals = run(MetricsEngine.builder().histogramRange(1000, 60_000_000_000L, 3), 10_000, 60, true);
        System.out.printf("HdrEquivalenceTest layout 1000..6e10/3: %d seeds x %d values checked (%d clamped, %d negative rejected)%n",
                totals.seeds, totals.values, totals.clamped, totals.negatives);
    }

    @Test
    void liveEngineMatchesHdrHistogramOnceApplied() {
        // Same property without close(): snapshots taken through read epochs while the aggregator runs. A second
        // thread snapshots concurrently the whole time and checks each point's internal consistency.
        Totals totals = run(MetricsEngine.builder().histogramRange(1, 1L << 40, 1), 20_000, 30, false);
        System.out.printf("HdrEquivalenceTest live engine, layout 1..2^40/1: %d seeds x %d values checked%n",
                totals.seeds, totals.values);
    }

    private Totals run(MetricsEngine.Builder builder, int firstSeed, int seeds, boolean closeBeforeSnapshot) {
        long started = System.nanoTime();
        Totals totals = new Totals();
        List<Expected> expectations = new ArrayList<>();
        MetricsEngine engine = builder.maxHistograms(seeds + 4).backPressure(BackPressure.BLOCK).build().start();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> snapshotterFailure = new AtomicReference<>();
        Thread snapshotter = null;
        long[] liveSnapshots = new long[1];
        try {
            HistogramLayout layout = engine.histogramLayout();
            HistogramFamily family = engine.histogram("h").help("values under test").labelNames("seed").register();
            if (!closeBeforeSnapshot) {
                snapshotter = new Thread(() -> {
                    Map<String, Long> lastCounts = new HashMap<>();
                    try {
                        while (!stop.get()) {
                            FamilySnapshot f = engine.snapshot().family("h");
                            for (SeriesPoint sp : f.points()) {
                                HistogramPoint p = (HistogramPoint) sp;
                                checkInternallyConsistent(p, layout);
                                String key = p.labelValues().get(0);
                                Long last = lastCounts.put(key, p.count());
                                if (last != null && last > p.count()) {
                                    throw new AssertionError("count of seed " + key + " went back from " + last + " to " + p.count());
                                }
                            }
                            liveSnapshots[0]++;
                        }
                    } catch (Throwable t) {
                        snapshotterFailure.set(t);
                    }
                }, "snapshotter");
                snapshotter.start();
            }
            for (int seed = firstSeed; seed < firstSeed + seeds; seed++) {
                io.streammetrics.metric.Histogram handle = family.labels(String.valueOf(seed));
                SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 12345);
                long[] values = generate(random, layout);
                Expected expected = new Expected(seed, layout);
                for (long v : values) {
                    expected.add(v, layout.highestTrackableValue());
                }
                record(handle, values, random);
                expectations.add(expected);
            }

            MetricsSnapshot snapshot;
            if (closeBeforeSnapshot) {
                engine.close();
                snapshot = engine.snapshot();
            } else {
                snapshot = awaitApplied(engine, expectations);
                stop.set(true);
                snapshotter.join();
                if (snapshotterFailure.get() != null) {
                    throw new AssertionError("concurrent snapshot failed", snapshotterFailure.get());
                }
                assertTrue(liveSnapshots[0] > 0, "the concurrent snapshotter never completed a snapshot");
                System.out.println("HdrEquivalenceTest: " + liveSnapshots[0] + " concurrent snapshots checked");
            }

            FamilySnapshot h = snapshot.family("h");
            assertNotNull(h);
            assertNull(h.overflowPoint(), "no seed should have overflowed into the overflow series");
            for (Expected expected : expectations) {
                HistogramPoint point = (HistogramPoint) h.point(String.valueOf(expected.seed));
                assertNotNull(point, "no point for seed " + expected.seed);
                compare(expected, point, layout);
                totals.seeds++;
                totals.values += expected.published;
                totals.clamped += expected.clamped;
                totals.negatives += expected.negatives;
                totals.published += expected.published;
            }
            if (closeBeforeSnapshot) {
                // After close the self-metrics are final: every value applied, every clamp and rejection counted.
                assertEquals(totals.clamped, counter(snapshot, "streammetrics_values_clamped", "above_range"), "clamped");
                assertEquals(totals.negatives, counter(snapshot, "streammetrics_values_rejected", "negative"), "negatives");
                assertEquals(0, counter(snapshot, "streammetrics_events_dropped", "ring_full"), "dropped under BLOCK");
                assertEquals(0, counter(snapshot, "streammetrics_events_dropped", "closed"), "dropped as closed");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            stop.set(true);
            engine.close();
        }
        assertTrue(totals.seeds >= seeds, "seeds checked");
        System.out.printf("HdrEquivalenceTest: %d seeds, %d values in %d ms%n", totals.seeds, totals.values,
                (System.nanoTime() - started) / 1_000_000);
        return totals;
    }

    private static long counter(MetricsSnapshot snapshot, String family, String reason) {
        FamilySnapshot f = snapshot.family(family);
        assertNotNull(f, family);
        SeriesPoint p = f.point(reason);
        assertNotNull(p, family + "{reason=" + reason + "}");
        return ((CounterPoint) p).longValue();
    }

    private static MetricsSnapshot awaitApplied(MetricsEngine engine, List<Expected> expectations) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            MetricsSnapshot snapshot = engine.snapshot();
            FamilySnapshot h = snapshot.family("h");
            boolean done = true;
            for (Expected e : expectations) {
                HistogramPoint p = (HistogramPoint) h.point(String.valueOf(e.seed));
                if (p == null || p.count() < e.count) {
                    done = false;
                    break;
                }
            }
            if (done) {
                // Every value was applied before this next snapshot opens its epoch.
                return engine.snapshot();
            }
            if (System.nanoTime() > deadline) {
                fail("the aggregator did not apply every value within 30 s");
            }
            Thread.onSpinWait();
        }
    }

    // ------------------------------------------------------------------ value generation

    private static long[] generate(SplittableRandom random, HistogramLayout layout) {
        int n;
        int sizeClass = random.nextInt(10);
        if (sizeClass == 0) {
            n = 1 + random.nextInt(3);
        } else if (sizeClass <= 6) {
            n = 100 + random.nextInt(3000);
        } else {
            n = 3000 + random.nextInt(12_000);
        }
        int generators = 8;
        double[] weights = new double[generators];
        double total = 0;
        for (int g = 0; g < generators; g++) {
            weights[g] = random.nextInt(3) == 0 ? 0 : random.nextDouble();
            if (g == 7) {
                weights[g] = random.nextInt(5) == 0 ? 0.01 : 0; // negatives: rare, and only in some seeds
            }
            total += weights[g];
        }
        if (total == 0) {
            weights[1] = 1;
            total = 1;
        }
        long highest = layout.highestTrackableValue();
        int smallMax = new int[] {0, 1, 10, 300, 5000}[random.nextInt(5)];
        double mu = Math.log(1e3) + random.nextDouble() * (Math.log(1e8) - Math.log(1e3));
        double sigma = 0.1 + random.nextDouble() * 1.5;
        long[] values = new long[n];
        int i = 0;
        while (i < n) {
            double pick = random.nextDouble() * total;
            int g = 0;
            while (g < generators - 1 && pick >= weights[g]) {
                pick -= weights[g];
                g++;
            }
            long v;
            switch (g) {
                case 0: // small uniform integers, 0 included
                    v = random.nextInt(smallMax + 1);
                    break;
                case 1: // log-normal latencies, about 1 us to 100 ms in ns
                    v = Math.round(Math.exp(mu + sigma * random.nextGaussian()));
                    break;
                case 2: { // powers of two and their neighbours
                    v = (1L << random.nextInt(63)) + random.nextInt(3) - 1;
                    break;
                }
                case 3: { // the layout's bucket boundaries and their neighbours
                    int index = random.nextInt(layout.countsLength());
                    long boundary = random.nextBoolean() ? layout.valueAt(index) : layout.highestValueAt(index);
                    v = Math.max(0, boundary + random.nextInt(3) - 1);
                    break;
                }
                case 4: // the highest trackable value
                    v = highest - random.nextInt(2);
                    break;
                case 5: { // above it: clamped by the engine
                    switch (random.nextInt(3)) {
                        case 0:
                            v = highest + 1;
                            break;
                        case 1:
                            v = Long.MAX_VALUE;
                            break;
                        default:
                            v = highest + 1 + random.nextLong(Long.MAX_VALUE - highest);
                    }
                    break;
                }
                case 6: // uniform over the whole range
                    v = random.nextLong(highest + 1);
                    break;
                default: // negative: rejected by the engine
                    v = random.nextBoolean() ? -1 : Long.MIN_VALUE + random.nextInt(1000);
            }
            // sometimes a burst of the same value
            int repeat = random.nextInt(20) == 0 ? 1 + random.nextInt(50) : 1;
            for (int r = 0; r < repeat && i < n; r++) {
                values[i++] = v;
            }
        }
        return values;
    }

    private static void record(io.streammetrics.metric.Histogram handle, long[] values, SplittableRandom random) {
        switch (random.nextInt(3)) {
            case 0:
                for (long v : values) {
                    handle.record(v);
                }
                break;
            case 1: // one batch, through a larger array with an offset
                long[] padded = new long[values.length + 7];
                System.arraycopy(values, 0, padded, 3, values.length);
                padded[0] = padded[1] = padded[2] = 999_999; // must not be recorded
                handle.recordBatch(padded, 3, values.length);
                break;
            default: { // random chunks, single records in between
                int at = 0;
                while (at < values.length) {
                    if (random.nextBoolean()) {
                        handle.record(values[at++]);
                    } else {
                        int length = Math.min(values.length - at, 1 + random.nextInt(20_000));
                        handle.recordBatch(values, at, length);
                        at += length;
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ checks

    private static void compare(Expected expected, HistogramPoint point, HistogramLayout layout) {
        String where = "seed " + expected.seed + " (" + expected.count + " values, layout " + layout + ")";
        assertEquals(expected.count, point.count(), "count of " + where);
        // One update per value that travelled as an event, or per sweep that found a cell grown: at most one each.
        assertTrue(expected.count == 0 ? point.updates() == 0 : point.updates() >= 1 && point.updates() <= expected.count,
                "updates " + point.updates() + " of " + where);
        assertEquals(expected.sum, point.sum(), "sum of " + where);
        if (expected.count == 0) {
            assertEquals(0, point.min(), "min of empty " + where);
            assertEquals(0, point.max(), "max of empty " + where);
            assertEquals(-1, point.highIndex(), where);
        } else {
            assertEquals(expected.min, point.min(), "min of " + where);
            assertEquals(expected.max, point.max(), "max of " + where);
            assertEquals(layout.indexOf(expected.min), point.lowIndex(), "lowIndex of " + where);
            assertEquals(layout.indexOf(expected.max), point.highIndex(), "highIndex of " + where);
        }
        checkInternallyConsistent(point, layout);

        Histogram reference = expected.reference;
        // bucket for bucket: every bucket the reference holds, and nothing else
        long seen = 0;
        for (HistogramIterationValue v : reference.recordedValues()) {
            int index = layout.indexOf(v.getValueIteratedTo());
            assertEquals(v.getCountAtValueIteratedTo(), point.countAt(index), "bucket " + index + " of " + where);
            seen += point.countAt(index);
        }
        assertEquals(point.count(), seen, "buckets the reference does not have in " + where);

        Histogram converted = point.toHdrHistogram();
        assertEquals(reference.getTotalCount(), converted.getTotalCount(), "getTotalCount of " + where);
        for (double p : PERCENTILES) {
            long want = reference.getValueAtPercentile(p);
            long got = converted.getValueAtPercentile(p);
            if (want != got) {
                fail("getValueAtPercentile(" + p + ") = " + got + ", HdrHistogram says " + want + " for " + where);
            }
        }
        assertEquals(reference.getMean(), converted.getMean(), 0.0, "getMean of " + where);
        assertEquals(reference.getStdDeviation(), converted.getStdDeviation(), 0.0, "getStdDeviation of " + where);
        assertEquals(reference.getMinValue(), converted.getMinValue(), "getMinValue of " + where);
        assertEquals(reference.getMaxValue(), converted.getMaxValue(), "getMaxValue of " + where);
        assertEquals(reference.getMinNonZeroValue(), converted.getMinNonZeroValue(), "getMinNonZeroValue of " + where);
        assertEquals(reference, converted, "HdrHistogram.equals of " + where);
    }

    /** What holds of any point, even one snapshotted while values are being applied. */
    private static void checkInternallyConsistent(HistogramPoint point, HistogramLayout layout) {
        String where = point.toString();
        long sum = 0;
        for (int i = point.lowIndex(); i <= point.highIndex(); i++) {
            long c = point.countAt(i);
            if (c < 0) {
                throw new AssertionError("negative count at " + i + " in " + where);
            }
            sum += c;
        }
        if (sum != point.count()) {
            throw new AssertionError("count " + point.count() + " != sum of bucket counts " + sum + " in " + where);
        }
        if (point.countAt(point.lowIndex() - 1) != 0 || point.countAt(point.highIndex() + 1) != 0) {
            throw new AssertionError("countAt outside lowIndex..highIndex is not 0 in " + where);
        }
        if (point.layout() != layout) {
            throw new AssertionError("point layout " + point.layout() + " is not the engine's " + layout);
        }
        if (point.count() > 0) {
            if (point.countAt(point.lowIndex()) == 0 || point.countAt(point.highIndex()) == 0) {
                throw new AssertionError("lowest or highest bucket empty in " + where);
            }
            if (layout.indexOf(point.min()) != point.lowIndex() || layout.indexOf(point.max()) != point.highIndex()) {
                throw new AssertionError("min/max " + point.min() + "/" + point.max() + " not in buckets "
                        + point.lowIndex() + "/" + point.highIndex() + " in " + where);
            }
            // each bucket's values lie within its bounds, so the sum does too
            long low = 0;
            long high = 0;
            for (int i = point.lowIndex(); i <= point.highIndex(); i++) {
                low += point.countAt(i) * layout.valueAt(i);
                high += point.countAt(i) * layout.highestValueAt(i);
            }
            if (point.sum() < low || point.sum() > high) {
                throw new AssertionError("sum " + point.sum() + " outside the bucket bounds " + low + ".." + high + " in " + where);
            }
        } else if (point.sum() != 0 || point.highIndex() != -1) {
            throw new AssertionError("empty point with sum or buckets: " + where);
        }
    }
}
