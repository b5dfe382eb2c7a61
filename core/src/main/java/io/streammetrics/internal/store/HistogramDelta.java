package io.streammetrics.internal.store;

import io.streammetrics.common.HistogramLayout;

/**
 * Increments for one histogram gathered off the store, applied in one update by
 * {@link MetricStore#histogramAdd(HistogramDelta)}: bucket indexes with their added counts, the added sum, and the
 * lowest and highest values among them. Reused from one histogram to the next by the single writer, so that applying
 * a producer's accumulated counts allocates nothing.
 */
public final class HistogramDelta {
    private final int[] buckets;
    private final long[] counts;
    private int histogramIndex;
    private int size;
    private long sum;
    private long min;
    private long max;

    /** A holder for histograms of the given layout (room for every bucket). */
    public HistogramDelta(HistogramLayout layout) {
        this.buckets = new int[layout.countsLength()];
        this.counts = new long[layout.countsLength()];
    }

    /** Starts a delta for histogram record {@code histogramIndex}, forgetting the previous one. */
    public void reset(int histogramIndex) {
        this.histogramIndex = histogramIndex;
        this.size = 0;
        this.sum = 0;
        this.min = Long.MAX_VALUE;
        this.max = Long.MIN_VALUE;
    }

    /** Adds {@code count} (positive) to bucket {@code bucket}; each bucket at most once per delta. */
    public void addBucket(int bucket, long count) {
        buckets[size] = bucket;
        counts[size] = count;
        size++;
    }

    /** The sum of the values added, and their range (values, not bucket indexes). */
    public void values(long sum, long min, long max) {
        this.sum = sum;
        this.min = min;
        this.max = max;
    }

    public int histogramIndex() {
        return histogramIndex;
    }

    /** Buckets added to. */
    public int size() {
        return size;
    }

    public int bucket(int i) {
        return buckets[i];
    }

    public long count(int i) {
        return counts[i];
    }

    public long sum() {
        return sum;
    }

    /** Lowest value added ({@code Long.MAX_VALUE} if unknown). */
    public long min() {
        return min;
    }

    /** Highest value added ({@code Long.MIN_VALUE} if unknown). */
    public long max() {
        return max;
    }

    /** Whether there is anything to apply. */
    public boolean isEmpty() {
        return size == 0 && sum == 0;
    }
}
