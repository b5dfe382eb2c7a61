package io.streammetrics.otlp;

import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.store.HistogramLayout;

/**
 * The HDR bucket counts, count, sum, min and max to export for one histogram series: either a snapshot's cumulative
 * state, or the exact difference between two snapshots of the same series (for DELTA temporality).
 */
final class HistogramValues {
    final HistogramLayout layout;
    final int lowIndex;
    final long[] counts;
    final long count;
    final long sum;
    /** Whether min and max are known exactly (always when cumulative; for a delta only if nothing came before). */
    final boolean hasMinMax;
    final long min;
    final long max;

    private HistogramValues(HistogramLayout layout, int lowIndex, long[] counts, long count, long sum,
                            boolean hasMinMax, long min, long max) {
        this.layout = layout;
        this.lowIndex = lowIndex;
        this.counts = counts;
        this.count = count;
        this.sum = sum;
        this.hasMinMax = hasMinMax && count > 0;
        this.min = min;
        this.max = max;
    }

    /** The cumulative state of a point. */
    static HistogramValues cumulative(HistogramPoint point) {
        int low = point.lowIndex();
        long[] counts = new long[Math.max(0, point.highIndex() - low + 1)];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = point.countAt(low + i);
        }
        return new HistogramValues(point.layout(), low, counts, point.count(), point.sum(), true, point.min(),
                point.max());
    }

    /**
     * What was recorded between {@code previous} and {@code current} (snapshots of one series): exact bucket
     * counts, count and sum, since all three only grow. Min and max of the interval cannot be derived from two
     * cumulative extremes, so they are left out unless {@code previous} was empty (then the interval holds every
     * value and the cumulative extremes are the interval's).
     */
    static HistogramValues delta(HistogramPoint current, HistogramPoint previous) {
        if (previous == null || previous.count() == 0) {
            return cumulative(current);
        }
        int low = Math.min(current.lowIndex(), previous.lowIndex());
        int high = Math.max(current.highIndex(), previous.highIndex());
        long[] counts = new long[Math.max(0, high - low + 1)];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = current.countAt(low + i) - previous.countAt(low + i);
        }
        return new HistogramValues(current.layout(), low, counts, current.count() - previous.count(),
                current.sum() - previous.sum(), false, 0, 0);
    }

    /** Count in HDR bucket {@code index}. */
    long countAt(int index) {
        int at = index - lowIndex;
        return at < 0 || at >= counts.length ? 0 : counts[at];
    }

    /** Highest HDR bucket index of {@link #counts}. */
    int highIndex() {
        return lowIndex + counts.length - 1;
    }
}
