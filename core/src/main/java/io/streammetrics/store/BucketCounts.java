package io.streammetrics.store;

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
}
