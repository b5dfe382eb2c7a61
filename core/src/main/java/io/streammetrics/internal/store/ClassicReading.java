package io.streammetrics.internal.store;

import io.streammetrics.common.ClassicBuckets;

/**
 * A reusable holder that one consistent read of a histogram's classic buckets fills ({@link MetricStore#readClassic}):
 * count, sum and the count of each classic bucket of its family ({@link ClassicBuckets}), without the HDR buckets.
 * What a Prometheus {@code le} series needs, at a few dozen longs per histogram. Not thread-safe: one per reading
 * thread.
 */
public final class ClassicReading {
    private final long[] counts = new long[StoreLayout.HISTOGRAM_CLASSIC_SLOTS];
    private long count;
    private long sum;
    private int boundCount;

    /** An empty holder, for {@code SeriesCursor.histogram(ClassicReading)} to fill along with the HDR buckets. */
    public ClassicReading() {
    }

    void set(long count, long sum, int boundCount) {
        this.count = count;
        this.sum = sum;
        this.boundCount = boundCount;
    }

    long[] counts() {
        return counts;
    }

    /** Number of recorded values: the cumulative count of the {@code +Inf} bucket. */
    public long count() {
        return count;
    }

    /** Sum of recorded values, in recorded units (nanoseconds for timers). */
    public long sum() {
        return sum;
    }

    /** Number of finite upper bounds of the family; there are one more buckets. */
    public int boundCount() {
        return boundCount;
    }

    /**
     * Values in classic bucket {@code k}, not cumulative: those in {@code (le[k-1], le[k]]} for {@code k} below
     * {@link #boundCount()}, those above the last bound for {@code k == boundCount()}. The buckets add up to
     * {@link #count()}.
     */
    public long bucketCount(int k) {
        if (k < 0 || k > boundCount) {
            throw new IndexOutOfBoundsException("classic bucket " + k + " of " + (boundCount + 1));
        }
        return counts[k];
    }
}
