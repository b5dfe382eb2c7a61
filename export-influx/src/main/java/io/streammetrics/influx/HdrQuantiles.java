package io.streammetrics.influx;

import io.streammetrics.store.HistogramLayout;
import io.streammetrics.store.HistogramReading;

/**
 * Quantiles of one histogram read, as HdrHistogram's {@code getValueAtPercentile} computes them from the same
 * buckets: the highest value equivalent to the bucket where the cumulative count reaches {@code ceil(q * count)}
 * (so within one HDR bucket width of the true value, 1 % at two significant digits), clamped to the exact
 * recorded minimum and maximum.
 */
final class HdrQuantiles {
    private HdrQuantiles() {
    }

    /** The value at quantile {@code q} (0..1) in recorded units; the reading must not be empty. */
    static long valueAt(HistogramReading reading, HistogramLayout layout, double q) {
        double percentile = Math.min(Math.max(Math.nextDown(q * 100.0), 0.0), 100.0);
        long rank = Math.max(1, (long) Math.ceil(percentile * reading.count() / 100.0));
        long cumulative = 0;
        for (int i = reading.lowIndex(); i <= reading.highIndex(); i++) {
            cumulative += reading.countAt(i);
            if (cumulative >= rank) {
                long value = q == 0 ? layout.valueAt(i) : layout.highestValueAt(i);
                return Math.max(reading.min(), Math.min(reading.max(), value));
            }
        }
        return reading.max();
    }
}
