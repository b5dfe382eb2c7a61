package io.streammetrics.prometheus;

import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import io.streammetrics.store.HistogramLayout;

import java.util.Arrays;

/**
 * One histogram's native buckets as {@link NativeHistogramMapping#map} produces them, in arrays kept for the next
 * series: a scrape then allocates only the exact-length arrays that client_java's {@link NativeHistogramBuckets}
 * is made from. Not thread-safe: one per scrape in progress.
 */
final class NativeBucketCounts {
    private final int[] indexes;
    private final long[] counts;
    private int size;
    private long zeroCount;

    /** Room for the most native buckets a histogram of {@code layout} can map to: one per HDR bucket. */
    NativeBucketCounts(HistogramLayout layout) {
        this.indexes = new int[layout.countsLength()];
        this.counts = new long[layout.countsLength()];
    }

    void clear() {
        size = 0;
        zeroCount = 0;
    }

    /** Adds a positive count to native bucket {@code index}, which is never below the last one added. */
    void add(int index, long count) {
        if (size > 0 && indexes[size - 1] == index) {
            counts[size - 1] += count;
        } else {
            indexes[size] = index;
            counts[size] = count;
            size++;
        }
    }

    void addZero(long count) {
        zeroCount += count;
    }

    /** The zero bucket's count. */
    long zeroCount() {
        return zeroCount;
    }

    /** The positive buckets in client_java's model (which copies the arrays it is given). */
    NativeHistogramBuckets positive() {
        return size == 0 ? NativeHistogramBuckets.EMPTY
                : NativeHistogramBuckets.of(Arrays.copyOf(indexes, size), Arrays.copyOf(counts, size));
    }
}
