package io.streammetrics.influx;

import io.streammetrics.common.HistogramLayout;
import io.streammetrics.internal.store.HistogramReading;

/**
 * Quantiles of one histogram read, as HdrHistogram's {@code getValueAtPercentile} computes them from the same
 * buckets: the highest value equivalent to the bucket where the cumulative count reaches {@code ceil(q * count)}
 * (so within one HDR bucket width of the true value, 1 % at two significant digits), clamped to the exact
 * recorded minimum and maximum. All of a push's quantiles come from one walk over the buckets.
 */
final class HdrQuantiles {
    private HdrQuantiles() {
    }

    /**
     * Fills {@code out[k]} with the value at {@code quantiles[k]} in recorded units, for quantiles in (0, 1] sorted
     * ascending; the reading must not be empty.
     */
    static void valuesAt(HistogramReading reading, HistogramLayout layout, double[] quantiles, long[] out) {
        long count = reading.count();
        int k = 0;
        long rank = rank(quantiles[0], count);
        long cumulative = 0;
        for (int i = reading.lowIndex(); i <= reading.highIndex() && k < quantiles.length; i++) {
            cumulative += reading.countAt(i);
            while (k < quantiles.length && cumulative >= rank) {
                out[k++] = Math.max(reading.min(), Math.min(reading.max(), layout.highestValueAt(i)));
                if (k < quantiles.length) {
                    rank = rank(quantiles[k], count);
                }
            }
        }
        while (k < quantiles.length) {
            out[k++] = reading.max();
        }
    }

    private static long rank(double q, long count) {
        double percentile = Math.min(Math.max(Math.nextDown(q * 100.0), 0.0), 100.0);
        return Math.max(1, (long) Math.ceil(percentile * count / 100.0));
    }
}
