package io.streammetrics.internal.exponential;

import io.streammetrics.EngineTestSupport;
import io.streammetrics.common.BucketCounts;
import io.streammetrics.common.HistogramLayout;
import io.streammetrics.testing.LogUniform;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The shared exponential mapping: bounded bucket counts reached by merging adjacent buckets as the formats define, the
 * quantile error bound as a function of the populated range, the zero bucket, and no allocation per histogram.
 */
class ExponentialBucketMappingTest {
    /** The engine's default layout: 1 ns to 1 h at 2 significant digits ({@code m = 7}). */
    private static final HistogramLayout LAYOUT = new HistogramLayout(1, TimeUnit.HOURS.toNanos(1), 2);
    private static final double NANOS = 1e9;

    /** HDR bucket counts of recorded values, as the store holds them. */
    private static final class Counts implements BucketCounts {
        final long[] counts = new long[LAYOUT.countsLength()];
        int low = Integer.MAX_VALUE;
        int high = -1;

        Counts record(long value, long count) {
            int index = LAYOUT.indexOf(value);
            counts[index] += count;
            low = Math.min(low, index);
            high = Math.max(high, index);
            return this;
        }

        @Override
        public int lowIndex() {
            return high < 0 ? 0 : low;
        }

        @Override
        public int highIndex() {
            return high;
        }

        @Override
        public long countAt(int index) {
            return counts[index];
        }

        @Override
        public long sum(int from, int to) {
            throw new UnsupportedOperationException();
        }
    }

    private static ExponentialBucketMapping otlp() {
        return new ExponentialBucketMapping(LAYOUT, NANOS, ExponentialScale.MAX_SCALE, ExponentialScale.MIN_SCALE, 0);
    }

    private static Counts counts(long[] values) {
        Counts counts = new Counts();
        for (long value : values) {
            counts.record(value, 1);
        }
        return counts;
    }

    @Test
    void initialScaleFollowsTheHdrPrecisionAndTheMaximum() {
        assertEquals(7, otlp().initialScale(), "m = 7 at 2 digits: no finer scale adds information");
        assertEquals(5, new ExponentialBucketMapping(LAYOUT, NANOS, 5, -4, 0).initialScale());
        assertEquals(4, new ExponentialBucketMapping(new HistogramLayout(1, 1_000_000, 1), 1, 20, -10, 0)
                .initialScale(), "1 digit: 2^4 sub-buckets per half, m = 4");
    }

    @Test
    void populatedRangeFitsAtTheHighestScaleThatHoldsIt() {
        ExponentialBucketMapping mapping = otlp();
        SplittableRandom random = new SplittableRandom(11);
        ExponentialBuckets unlimited = new ExponentialBuckets();
        ExponentialBuckets bounded = new ExponentialBuckets();
        for (int n = 0; n < 2_000; n++) {
            double ratio = Math.pow(10, random.nextDouble(0, 12));
            long lowest = 1 + (long) Math.pow(10, random.nextDouble(0, 12 - Math.log10(ratio)));
            Counts counts = counts(LogUniform.sorted(random, 1 + random.nextInt(500), lowest, ratio));
            int maxBuckets = new int[] {2, 3, 10, 100, 160, 1000}[random.nextInt(6)];
            mapping.map(counts, 0, unlimited);
            mapping.map(counts, maxBuckets, bounded);
            assertEquals(7, unlimited.scale());
            Supplier<String> what = () -> "max " + maxBuckets + ", " + bounded;
            assertTrue(bounded.length() <= maxBuckets, what);
            assertTrue(bounded.countAt(0) > 0 && bounded.countAt(bounded.length() - 1) > 0, what);
            int shift = unlimited.scale() - bounded.scale();
            if (shift > 0) {
                // One scale finer would not have fitted.
                int finer = shift - 1;
                int first = unlimited.offset() >> finer;
                int last = (unlimited.offset() + unlimited.length() - 1) >> finer;
                assertTrue(last - first + 1 > maxBuckets, what);
            }
            assertMergedExactly(unlimited, bounded);
        }
    }

    /** {@code bounded} holds exactly {@code unlimited}'s buckets merged as lowering its scale merges them. */
    private static void assertMergedExactly(ExponentialBuckets unlimited, ExponentialBuckets bounded) {
        int shift = unlimited.scale() - bounded.scale();
        long[] merged = new long[bounded.length()];
        for (int i = 0; i < unlimited.length(); i++) {
            merged[((unlimited.offset() + i) >> shift) - bounded.offset()] += unlimited.countAt(i);
        }
        assertTrue(Arrays.equals(merged, bounded.copyCounts()), () -> bounded + " is not " + unlimited + " merged");
        assertEquals(unlimited.zeroCount(), bounded.zeroCount());
    }

    @Test
    void everyQuantileIsWithinTheBoundOfItsPopulatedRange() {
        SplittableRandom random = new SplittableRandom(17);
        ExponentialBucketMapping[] mappings = new ExponentialBucketMapping[9];
        for (int maxScale = 0; maxScale < mappings.length; maxScale++) {
            mappings[maxScale] = new ExponentialBucketMapping(LAYOUT, NANOS, maxScale,
                    ExponentialScale.PROMETHEUS_MIN_SCHEMA, 0);
        }
        ExponentialBuckets buckets = new ExponentialBuckets();
        double worstShare = 0;
        for (int n = 0; n < 600; n++) {
            double ratio = Math.pow(10, random.nextDouble(0, 12));
            long lowest = 1 + (long) Math.pow(10, random.nextDouble(0, 12 - Math.log10(ratio)));
            int maxBuckets = new int[] {2, 20, 160, 0}[random.nextInt(4)];
            ExponentialBucketMapping mapping = mappings[random.nextInt(mappings.length)];
            long[] values = LogUniform.sorted(random, 2_000, lowest, ratio);
            mapping.map(counts(values), maxBuckets, buckets);
            double actualRatio = (double) values[values.length - 1] / values[0];
            int guaranteed = mapping.scaleForRange(actualRatio, maxBuckets);
            assertTrue(buckets.scale() >= guaranteed, "scale " + buckets.scale() + " below the guaranteed "
                    + guaranteed + " for a range of " + actualRatio + " in " + maxBuckets + " buckets");
            double bound = mapping.relativeError(buckets.scale());
            assertTrue(bound <= mapping.relativeError(guaranteed));
            // Walk the buckets once as the rank grows: the bucket holding rank ceil(q n) for q = 0.001 .. 0.999.
            int bucket = -1;
            long seen = buckets.zeroCount();
            for (int q = 1; q < 1000; q++) {
                int rank = (int) Math.ceil(q / 1000.0 * values.length);
                while (seen < rank) {
                    seen += buckets.countAt(++bucket);
                }
                double exact = values[rank - 1] / NANOS;
                double lower = ExponentialScale.lowerBound(buckets.offset() + bucket, buckets.scale());
                double upper = ExponentialScale.lowerBound(buckets.offset() + bucket + 1, buckets.scale());
                // Any estimate within the bucket: its bounds, and so everything between them.
                for (double estimate : new double[] {lower, upper, Math.sqrt(lower * upper)}) {
                    double error = Math.abs(estimate - exact) / exact;
                    worstShare = Math.max(worstShare, error / bound);
                    if (error > bound) {
                        fail("q=" + q / 1000.0 + " exact " + exact + " estimate " + estimate + " error " + error
                                + " > " + bound + " at scale " + buckets.scale());
                    }
                }
            }
        }
        assertTrue(worstShare > 0.8, "the bound is tight, not vacuous: worst error / bound = " + worstShare);
    }

    /** The README's table: the lowest scale and the error bound at 160 buckets, by populated range. */
    @Test
    void quantileErrorByPopulatedRangeAt160Buckets() {
        ExponentialBucketMapping mapping = otlp();
        double[][] expected = {
            // decades, scale, error bound (%)
            {Math.log10(2.3), 7, 0.94}, {Math.log10(2.4), 6, 1.49}, {1, 5, 2.59}, {2, 4, 4.84}, {3, 3, 9.48},
            {5, 3, 9.48}, {6, 2, 19.39}, {11, 2, 19.39}, {12, 1, 41.98}, {12.56, 1, 41.98},
        };
        for (double[] row : expected) {
            int scale = mapping.scaleForRange(Math.pow(10, row[0]), 160);
            assertEquals((int) row[1], scale, row[0] + " decades");
            assertEquals(row[2], 100 * mapping.relativeError(scale), 0.005, row[0] + " decades");
        }
    }

    @Test
    void zeroBucketTakesTheHdrBucketsUpToTheThreshold() {
        ExponentialBuckets buckets = new ExponentialBuckets();
        // Default: only HDR bucket 0 (the value 0) is zero, with client_java's default threshold 2^-128.
        ExponentialBucketMapping tiny = new ExponentialBucketMapping(LAYOUT, NANOS, 8, -4, Math.scalb(1.0, -128));
        tiny.map(new Counts().record(0, 3).record(1, 1), 160, buckets);
        assertEquals(3, buckets.zeroCount());
        assertEquals(Math.scalb(1.0, -128), buckets.zeroThreshold());
        assertEquals(1, buckets.length());
        // 1 us: 1000 ns lies in HDR bucket 1000..1003 (width 4 above 512), so the threshold rises to 1003 ns.
        ExponentialBucketMapping micro = new ExponentialBucketMapping(LAYOUT, NANOS, 8, -4, 1e-6);
        assertEquals(1003e-9, micro.zeroThreshold(), 1e-21);
        micro.map(new Counts().record(0, 1).record(500, 2).record(1003, 4).record(1004, 8), 160, buckets);
        assertEquals(7, buckets.zeroCount());
        assertEquals(1, buckets.length());
        assertEquals(8, buckets.countAt(0));
        assertTrue(ExponentialScale.lowerBound(buckets.offset() + 1, buckets.scale()) >= 1004e-9);
        // Only zeros: no buckets.
        micro.map(new Counts().record(7, 5), 160, buckets);
        assertEquals(0, buckets.length());
        assertEquals(5, buckets.zeroCount());
        // Empty.
        micro.map(new Counts(), 160, buckets);
        assertEquals(0, buckets.length());
        assertEquals(0, buckets.zeroCount());
    }

    @Test
    void mapsWithoutAllocating() {
        ExponentialBucketMapping mapping = otlp();
        Counts counts = counts(LogUniform.sorted(new SplittableRandom(1), 10_000, 1_000, 1e6));
        ExponentialBuckets buckets = new ExponentialBuckets();
        mapping.map(counts, 160, buckets);
        for (int i = 0; i < 20_000; i++) {
            mapping.map(counts, 160, buckets);
        }
        long allocated = EngineTestSupport.allocatedBytes(() -> {
            for (int i = 0; i < 20_000; i++) {
                mapping.map(counts, 160, buckets);
            }
        });
        assertEquals(0, allocated, "bytes allocated mapping 20,000 histograms");
        assertTrue(buckets.length() <= 160 && buckets.scale() <= 3, "six decades in 160 buckets: " + buckets);
    }

    @Test
    void badSettingsFailNamingTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ExponentialBucketMapping(LAYOUT, NANOS, 21, -10, 0));
        assertTrue(e.getMessage().contains("maxScale"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ExponentialBucketMapping(LAYOUT, NANOS, 3, 4, 0));
        e = assertThrows(IllegalArgumentException.class,
                () -> new ExponentialBucketMapping(LAYOUT, NANOS, 8, -4, Double.NaN));
        assertTrue(e.getMessage().contains("zero threshold"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ExponentialBucketMapping(LAYOUT, NANOS, 8, -4, -1));
        assertThrows(IllegalArgumentException.class, () -> new ExponentialBucketMapping(LAYOUT, 0, 8, -4, 0));
    }
}
