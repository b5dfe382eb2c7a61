package io.streammetrics.prometheus;

import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.store.BucketCounts;
import io.streammetrics.store.ClassicBuckets;
import io.streammetrics.store.HistogramLayout;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;

/**
 * Maps HdrHistogram buckets onto classic {@code le} buckets, by the rule of core's {@link ClassicBuckets} (with which
 * the store keeps classic counts for a family's own bounds): what a scrape does for bounds an exporter sets that are
 * not the family's, and what the client_java path ({@link PrometheusCollector#collect()}) does for all.
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
        // The store's own rule, so that counts mapped here equal those the store keeps for the same bounds.
        return ClassicBuckets.indexLimits(layout, upperBounds, scale);
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
