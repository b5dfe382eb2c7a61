package io.streammetrics.internal.store;

import io.streammetrics.common.BucketCounts;
import io.streammetrics.common.HistogramLayout;

/**
 * A reusable holder that one consistent histogram read fills: count, sum, min, max and the bucket counts from the
 * lowest to the highest non-zero bucket index. Lets readers that render many histograms (a scrape) avoid allocating
 * per series. Not thread-safe: one per reading thread.
 */
public final class HistogramReading implements BucketCounts {
    private final long[] counts;
    private long count;
    private long sum;
    private long min;
    private long max;
    private int lowIndex;
    private int highIndex;

    /** A holder for histograms of the given layout. */
    public HistogramReading(HistogramLayout layout) {
        this(layout.countsLength());
    }

    private HistogramReading(int capacity) {
        this.counts = new long[capacity];
    }

    /** A holder of exactly this reading's occupied range, for keeping it after this one is reused. */
    HistogramReading compactCopy() {
        HistogramReading copy = new HistogramReading(Math.max(0, highIndex() - lowIndex() + 1));
        System.arraycopy(counts, 0, copy.counts, 0, copy.counts.length);
        copy.set(count, sum, min, max, lowIndex, highIndex);
        return copy;
    }

    void set(long count, long sum, long min, long max, int lowIndex, int highIndex) {
        this.count = count;
        this.sum = sum;
        this.min = min;
        this.max = max;
        this.lowIndex = lowIndex;
        this.highIndex = highIndex;
    }

    int capacity() {
        return counts.length;
    }

    long[] counts() {
        return counts;
    }

    public long count() {
        return count;
    }

    public long sum() {
        return sum;
    }

    /** Smallest recorded value (exact, not bucket-rounded); 0 when empty. */
    public long min() {
        return min;
    }

    /** Largest recorded value (exact, not bucket-rounded); 0 when empty. */
    public long max() {
        return max;
    }

    /** Lowest non-zero bucket index, or 0 when empty. */
    @Override
    public int lowIndex() {
        return count == 0 ? 0 : lowIndex;
    }

    /** Highest non-zero bucket index, or -1 when empty. */
    @Override
    public int highIndex() {
        return count == 0 ? -1 : highIndex;
    }

    /** Count in bucket {@code index}, which must lie between {@link #lowIndex()} and {@link #highIndex()}. */
    @Override
    public long countAt(int index) {
        return counts[index - lowIndex];
    }

    @Override
    public long sum(int from, int to) {
        return BucketCounts.sum(counts, lowIndex(), highIndex(), from, to);
    }

    /** Copies the counts from {@link #lowIndex()} to {@link #highIndex()} into a new array. */
    public long[] copyCounts() {
        int length = highIndex() - lowIndex() + 1;
        long[] copy = new long[Math.max(length, 0)];
        System.arraycopy(counts, 0, copy, 0, copy.length);
        return copy;
    }
}
