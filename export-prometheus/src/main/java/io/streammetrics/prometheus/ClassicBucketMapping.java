package io.streammetrics.prometheus;

import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.store.BucketCounts;
import io.streammetrics.store.HistogramLayout;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;

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
     * @param limits {@link #indexLimits} of these bounds
     */
    static ClassicHistogramBuckets buckets(HistogramPoint point, double[] upperBounds, int[] limits) {
        long[] counts = new long[upperBounds.length + 1];
        counts(point, limits, counts);
        double[] bounds = new double[upperBounds.length + 1];
        System.arraycopy(upperBounds, 0, bounds, 0, upperBounds.length);
        bounds[upperBounds.length] = Double.POSITIVE_INFINITY;
        return ClassicHistogramBuckets.of(bounds, counts);
    }

    /**
     * For each {@code le}, the highest HDR bucket index whose highest value is at most {@code le} (-1 if none): the
     * classic bucket {@code k} then holds HDR buckets {@code limits[k - 1] + 1} to {@code limits[k]}. Depends only
     * on the layout and the bounds, so it is computed once per family, not per series.
     *
     * @param upperBounds sorted, finite {@code le} values in exported units
     * @param scale divisor from recorded to exported units (1e9 for timers)
     */
    static int[] indexLimits(HistogramLayout layout, double[] upperBounds, double scale) {
        int[] limits = new int[upperBounds.length];
        int index = -1;
        for (int k = 0; k < upperBounds.length; k++) {
            // Exact division: highest / 1e9 is the double nearest the true quotient, as the literal le is,
            // so an HDR bucket ending exactly on an le compares equal. Highest values grow with the index.
            while (index + 1 < layout.countsLength() && layout.highestValueAt(index + 1) / scale <= upperBounds[k]) {
                index++;
            }
            limits[k] = index;
        }
        return limits;
    }

    /**
     * The per-bucket (not cumulative) classic counts of a histogram, without allocating.
     *
     * @param limits {@link #indexLimits} of the family's bounds
     * @param counts receives {@code limits.length + 1} counts, the last one the {@code +Inf} bucket's
     */
    static void counts(BucketCounts histogram, int[] limits, long[] counts) {
        int from = 0;
        for (int k = 0; k < limits.length; k++) {
            counts[k] = histogram.sum(from, limits[k]);
            from = Math.max(from, limits[k] + 1);
        }
        counts[limits.length] = histogram.sum(from, Integer.MAX_VALUE);
    }
}
