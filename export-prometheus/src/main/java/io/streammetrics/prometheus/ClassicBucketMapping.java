package io.streammetrics.prometheus;

import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.store.BucketCounts;
import io.streammetrics.store.HistogramLayout;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;

import java.util.Arrays;

/**
 * Maps HdrHistogram buckets onto classic {@code le} buckets.
 *
 * <p>HDR only knows that a value lies somewhere in its bucket {@code [low, high]}, so a classic count is exact only
 * where an {@code le} falls on an HDR bucket boundary. Each HDR bucket's count goes to the first classic bucket
 * whose {@code le} is at least the HDR bucket's highest value: a bucket never counts a value above its {@code le},
 * and values within one HDR bucket width below an {@code le} may be counted in the next bucket up. The placement
 * error is thus at most one HDR bucket width, at most {@code 2^-m} of the value (0.78% at 2 significant digits,
 * see {@link NativeHistogramMapping}); below {@code 2 * 10^d} (with lowest discernible value 1) HDR buckets hold
 * single integers and integer {@code le}s are exact.
 */
final class ClassicBucketMapping {
    private ClassicBucketMapping() {
    }

    /**
     * The classic buckets of a point.
     *
     * @param upperBounds sorted, finite {@code le} values in exported units; {@code +Inf} is added
     * @param scale divisor from recorded to exported units (1e9 for timers)
     */
    static ClassicHistogramBuckets buckets(HistogramPoint point, double[] upperBounds, double scale) {
        long[] counts = new long[upperBounds.length + 1];
        counts(point, point.layout(), upperBounds, scale, counts);
        double[] bounds = new double[upperBounds.length + 1];
        System.arraycopy(upperBounds, 0, bounds, 0, upperBounds.length);
        bounds[upperBounds.length] = Double.POSITIVE_INFINITY;
        return ClassicHistogramBuckets.of(bounds, counts);
    }

    /**
     * The per-bucket (not cumulative) classic counts of a histogram, without allocating.
     *
     * @param upperBounds sorted, finite {@code le} values in exported units
     * @param scale divisor from recorded to exported units (1e9 for timers)
     * @param counts receives {@code upperBounds.length + 1} counts, the last one the {@code +Inf} bucket's
     */
    static void counts(BucketCounts histogram, HistogramLayout layout, double[] upperBounds, double scale,
                       long[] counts) {
        Arrays.fill(counts, 0, upperBounds.length + 1, 0L);
        int bucket = 0;
        for (int i = histogram.lowIndex(); i <= histogram.highIndex(); i++) {
            long count = histogram.countAt(i);
            if (count == 0) {
                continue;
            }
            // Exact division: highest / 1e9 is the double nearest the true quotient, as the literal le is,
            // so an HDR bucket ending exactly on an le compares equal.
            double highest = layout.highestValueAt(i) / scale;
            // HDR indexes grow with value, so the classic bucket only moves forward.
            while (bucket < upperBounds.length && upperBounds[bucket] < highest) {
                bucket++;
            }
            counts[bucket] += count;
        }
    }
}
