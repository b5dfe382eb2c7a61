package io.streammetrics.otlp;

import io.streammetrics.common.HistogramLayout;

/**
 * Maps HdrHistogram buckets onto OTLP explicit buckets, whose bucket {@code i} counts values in
 * {@code (bounds[i-1], bounds[i]]} (upper-inclusive, like Prometheus {@code le}).
 *
 * <p>HDR only knows that a value lies somewhere in its bucket {@code [low, high]}, so an explicit count is exact only
 * where a boundary falls on an HDR bucket boundary. Each HDR bucket's count goes to the first explicit bucket whose
 * bound is at least the HDR bucket's highest value: a bucket never counts a value above its bound, and values within
 * one HDR bucket width below a bound may be counted in the next bucket up. The placement error is therefore at most
 * one HDR bucket width, {@code 2^-7} of the value at 2 significant digits.
 */
final class ExplicitBucketMapping {
    private ExplicitBucketMapping() {
    }

    /**
     * The {@code bounds.length + 1} bucket counts.
     *
     * @param bounds sorted finite boundaries in exported units
     * @param scale divisor from recorded to exported units (1e9 for timers)
     */
    static long[] counts(HistogramValues values, double[] bounds, double scale) {
        HistogramLayout layout = values.layout;
        long[] counts = new long[bounds.length + 1];
        int bucket = 0;
        for (int i = values.lowIndex(); i <= values.highIndex(); i++) {
            long count = values.countAt(i);
            if (count == 0) {
                continue;
            }
            // highest / 1e9 is the double nearest the true quotient, as a literal boundary is, so an HDR bucket
            // ending exactly on a boundary compares equal.
            double highest = layout.highestValueAt(i) / scale;
            // HDR indexes grow with value, so the explicit bucket only moves forward.
            while (bucket < bounds.length && bounds[bucket] < highest) {
                bucket++;
            }
            counts[bucket] += count;
        }
        return counts;
    }
}
