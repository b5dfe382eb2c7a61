package io.streammetrics.prometheus;

import io.streammetrics.common.BucketCounts;
import io.streammetrics.common.ClassicBuckets;
import io.streammetrics.common.HistogramLayout;
import io.streammetrics.internal.store.ClassicReading;

/**
 * Maps HdrHistogram buckets onto classic {@code le} buckets, by the rule of core's {@link ClassicBuckets} (with which
 * the store keeps classic counts for a family's own bounds): what a scrape does for bounds an exporter sets that are
 * not the family's. For the family's own bounds both scrape paths ({@link StoreTextWriter} and
 * {@link PrometheusCollector#collect()}, through {@link ClassicCounts}) read the store's counts instead
 * ({@link #counts(ClassicReading, int, long[])}), which equal what this mapping gives.
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

    /**
     * The per-bucket (not cumulative) classic counts of a histogram as the store keeps them for its family's own
     * bounds ({@code SeriesCursor.classicHistogram()}), without allocating: what a histogram plan whose
     * {@code storedClassic} holds reads instead of mapping HDR buckets ({@link ClassicCounts}).
     *
     * @param boundCount the exported finite bounds: the family's own, or none (then the one {@code +Inf} bucket)
     * @param counts receives {@code boundCount + 1} counts, the last one the {@code +Inf} bucket's: the values above
     *               every exported bound
     */
    static void counts(ClassicReading stored, int boundCount, long[] counts) {
        long below = 0;
        for (int k = 0; k < boundCount; k++) {
            counts[k] = stored.bucketCount(k);
            below += counts[k];
        }
        counts[boundCount] = stored.count() - below;
    }
}
