package io.streammetrics.common;

/**
 * Read access to the occupied bucket range of one histogram, indexed as {@link HistogramLayout} indexes: what
 * exporters map onto their own buckets, whether the counts sit in a reusable {@link HistogramReading} (a scrape
 * that renders straight from the store) or in an immutable snapshot point.
 */
public interface BucketCounts {
    /** Lowest bucket index holding a count, or 0 when empty. */
    int lowIndex();

    /** Highest bucket index holding a count, or -1 when empty. */
    int highIndex();

    /** Count in bucket {@code index}, which lies between {@link #lowIndex()} and {@link #highIndex()}. */
    long countAt(int index);

    /**
     * The counts of buckets {@code from} to {@code to} (both included), clipped to the occupied range: what a
     * coarser bucket (a classic {@code le}) holds, summed in one pass over contiguous counts.
     */
    long sum(int from, int to);

    /**
     * {@link #sum(int, int)} for implementations that keep the occupied range in an array starting at
     * {@code lowIndex}.
     */
    static long sum(long[] counts, int lowIndex, int highIndex, int from, int to) {
        int end = Math.min(to, highIndex) - lowIndex;
        long sum = 0;
        for (int i = Math.max(from, lowIndex) - lowIndex; i <= end; i++) {
            sum += counts[i];
        }
        return sum;
    }
}
