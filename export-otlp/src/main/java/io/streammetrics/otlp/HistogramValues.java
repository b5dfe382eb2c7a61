package io.streammetrics.otlp;

import io.streammetrics.common.BucketCounts;
import io.streammetrics.common.HistogramLayout;
import io.streammetrics.snapshot.HistogramPoint;

/**
 * The HDR bucket counts, count, sum, min and max to export for one histogram series: either a snapshot's cumulative
 * state (its buckets read in place), or the exact difference between two snapshots of the same series (for DELTA
 * temporality).
 */
final class HistogramValues implements BucketCounts {
    final HistogramLayout layout;
    private final BucketCounts buckets;
    final long count;
    final long sum;
    /** Whether min and max are known exactly (always when cumulative; for a delta only if nothing came before). */
    final boolean hasMinMax;
    final long min;
    final long max;

    private HistogramValues(HistogramLayout layout, BucketCounts buckets, long count, long sum, boolean hasMinMax,
                            long min, long max) {
        this.layout = layout;
        this.buckets = buckets;
        this.count = count;
        this.sum = sum;
        this.hasMinMax = hasMinMax && count > 0;
        this.min = min;
        this.max = max;
    }

    /** The cumulative state of a point. */
    static HistogramValues cumulative(HistogramPoint point) {
        return new HistogramValues(point.layout(), point, point.count(), point.sum(), true, point.min(), point.max());
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
        return new HistogramValues(current.layout(), new Difference(low, counts), current.count() - previous.count(),
                current.sum() - previous.sum(), false, 0, 0);
    }

    /** Lowest HDR bucket index of the counts (a delta's may hold 0). */
    @Override
    public int lowIndex() {
        return buckets.lowIndex();
    }

    /** Highest HDR bucket index of the counts. */
    @Override
    public int highIndex() {
        return buckets.highIndex();
    }

    /** Count in HDR bucket {@code index}. */
    @Override
    public long countAt(int index) {
        return buckets.countAt(index);
    }

    @Override
    public long sum(int from, int to) {
        return buckets.sum(from, to);
    }

    /** The bucket differences of a delta, from {@code lowIndex} on. */
    private static final class Difference implements BucketCounts {
        private final int lowIndex;
        private final long[] counts;

        Difference(int lowIndex, long[] counts) {
            this.lowIndex = lowIndex;
            this.counts = counts;
        }

        @Override
        public int lowIndex() {
            return lowIndex;
        }

        @Override
        public int highIndex() {
            return lowIndex + counts.length - 1;
        }

        @Override
        public long countAt(int index) {
            int at = index - lowIndex;
            return at < 0 || at >= counts.length ? 0 : counts[at];
        }

        @Override
        public long sum(int from, int to) {
            return BucketCounts.sum(counts, lowIndex, highIndex(), from, to);
        }
    }
}
