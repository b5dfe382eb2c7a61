package io.streammetrics.snapshot;

import io.streammetrics.common.BucketCounts;
import io.streammetrics.common.HistogramLayout;
import io.streammetrics.exemplar.Exemplar;
import io.streammetrics.internal.store.HistogramReading;

import java.util.List;

/**
 * A histogram's state at snapshot time, consistent within itself: {@link #count()} equals the sum of the bucket
 * counts. Buckets follow HdrHistogram's layout, so {@link #toHdrHistogram()} is lossless. Timer values are in
 * nanoseconds.
 */
public final class HistogramPoint extends SeriesPoint implements BucketCounts {
    private final HistogramLayout layout;
    private final long count;
    private final long sum;
    private final long min;
    private final long max;
    private final int lowIndex;
    private final long[] counts;
    private final List<Exemplar> exemplars;

    HistogramPoint(int seriesId, List<String> labelValues, boolean overflow, long createdMillis, long updates,
                   long lastUpdateMillis, HistogramLayout layout, HistogramReading reading) {
        this(seriesId, labelValues, overflow, createdMillis, updates, lastUpdateMillis, layout, reading, List.of());
    }

    HistogramPoint(int seriesId, List<String> labelValues, boolean overflow, long createdMillis, long updates,
                   long lastUpdateMillis, HistogramLayout layout, HistogramReading reading, List<Exemplar> exemplars) {
        super(seriesId, labelValues, overflow, createdMillis, updates, lastUpdateMillis);
        this.exemplars = exemplars;
        this.layout = layout;
        this.count = reading.count();
        this.sum = reading.sum();
        this.min = reading.min();
        this.max = reading.max();
        this.lowIndex = reading.lowIndex();
        this.counts = reading.copyCounts();
    }

    /**
     * The exemplars the store holds for this histogram, unmodifiable: one per classic bucket that has one
     * ({@link Exemplar.Kind#CLASSIC_BUCKET}), then the newest and the largest ({@link Exemplar.Kind#NEWEST},
     * {@link Exemplar.Kind#LARGEST}); empty when none was recorded. Values are in the recorded unit (nanoseconds for
     * timers).
     */
    public List<Exemplar> exemplars() {
        return exemplars;
    }

    /** Number of recorded values. */
    public long count() {
        return count;
    }

    /** Sum of recorded values (after clamping). */
    public long sum() {
        return sum;
    }

    /** Smallest recorded value, exact; 0 when empty. */
    public long min() {
        return min;
    }

    /** Largest recorded value, exact; 0 when empty. */
    public long max() {
        return max;
    }

    /** Lowest bucket index holding a count (0 when empty). */
    @Override
    public int lowIndex() {
        return lowIndex;
    }

    /** Highest bucket index holding a count (-1 when empty). */
    @Override
    public int highIndex() {
        return lowIndex + counts.length - 1;
    }

    /** Count in bucket {@code index}; 0 outside {@link #lowIndex()}..{@link #highIndex()}. */
    @Override
    public long countAt(int index) {
        int at = index - lowIndex;
        return at < 0 || at >= counts.length ? 0 : counts[at];
    }

    @Override
    public long sum(int from, int to) {
        return BucketCounts.sum(counts, lowIndex, highIndex(), from, to);
    }

    /** The bucket layout these indexes refer to. */
    public HistogramLayout layout() {
        return layout;
    }

    /**
     * An {@code org.HdrHistogram.Histogram} with the same settings and the same bucket counts, for percentiles,
     * merging and encoding. Its min and max are bucket-rounded as HdrHistogram reports them.
     */
    public org.HdrHistogram.Histogram toHdrHistogram() {
        org.HdrHistogram.Histogram histogram = new org.HdrHistogram.Histogram(layout.lowestDiscernibleValue(),
                layout.highestTrackableValue(), layout.significantDigits());
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                histogram.recordValueWithCount(layout.valueAt(lowIndex + i), counts[i]);
            }
        }
        return histogram;
    }

    @Override
    public String toString() {
        return "HistogramPoint" + labelValues() + "[count=" + count + ", sum=" + sum + ", min=" + min + ", max=" + max + "]";
    }
}
