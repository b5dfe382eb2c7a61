package io.streammetrics.prometheus;

import io.streammetrics.snapshot.SeriesCursor;
import io.streammetrics.internal.store.ClassicReading;
import io.streammetrics.internal.store.HistogramReading;

/**
 * Reads one histogram series' classic bucket counts for a scrape: the one place that decides where they come from,
 * read by both renderers so that our text writer and client_java's model always agree. When the plan's bounds are
 * the family's own, or none ({@link FamilyPlan.Histogram#storedClassic}), the counts the store keeps for them (a few
 * dozen longs, the HDR buckets untouched, unless native buckets need them too: then both come from one read);
 * otherwise the HDR buckets mapped onto the plan's bounds ({@link ClassicBucketMapping}: the occupied range, about
 * 1,600 longs for a typical latency histogram). A reusable holder, one per renderer; allocates nothing.
 */
final class ClassicCounts {
    private final ClassicReading stored = new ClassicReading();
    private long count;
    private long sum;

    /**
     * Reads a series' classic buckets, count and sum.
     *
     * @param counts receives the per-bucket (not cumulative) counts of the plan's bounds and {@code +Inf}: at least
     *               {@code plan.bounds.length + 1} long
     */
    void read(SeriesCursor cursor, FamilyPlan.Histogram plan, long[] counts) {
        if (plan.storedClassic) {
            ClassicReading classic = cursor.classicHistogram();
            ClassicBucketMapping.counts(classic, plan.bounds.length, counts);
            count = classic.count();
            sum = classic.sum();
        } else {
            HistogramReading histogram = cursor.histogram();
            ClassicBucketMapping.counts(histogram, plan.limits, counts);
            count = histogram.count();
            sum = histogram.sum();
        }
    }

    /**
     * Reads a series' HDR buckets (for its native buckets), count and sum, and, when the plan exports classic
     * buckets, their counts from the same read, so that both representations agree on the count.
     *
     * @param counts as for {@link #read}; untouched when the plan exports no classic buckets
     * @return the HDR buckets, valid until the cursor moves on
     */
    HistogramReading readWithBuckets(SeriesCursor cursor, FamilyPlan.Histogram plan, long[] counts) {
        HistogramReading histogram;
        if (!plan.classic) {
            histogram = cursor.histogram();
        } else if (plan.storedClassic) {
            histogram = cursor.histogram(stored);
            ClassicBucketMapping.counts(stored, plan.bounds.length, counts);
        } else {
            histogram = cursor.histogram();
            ClassicBucketMapping.counts(histogram, plan.limits, counts);
        }
        count = histogram.count();
        sum = histogram.sum();
        return histogram;
    }

    /** The count of the series last read: the {@code +Inf} bucket's. */
    long count() {
        return count;
    }

    /** The sum of the series last read, in recorded units. */
    long sum() {
        return sum;
    }
}
