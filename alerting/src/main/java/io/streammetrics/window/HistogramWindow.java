package io.streammetrics.window;

import io.streammetrics.common.HistogramLayout;
import io.streammetrics.snapshot.HistogramPoint;

/**
 * The history of one histogram's cumulative bucket counts, one {@link BucketSample} per evaluation, for windowed
 * quantiles: the counts of a window are the difference of its newest and its starting sample, bucket by bucket, so
 * the quantile is exact at HDR precision (the value HdrHistogram's {@code getValueAtPercentile} would give for the
 * values recorded in the window). State: about {@code 8 * (non-zero bucket range) + 32} bytes per sample, one sample
 * per evaluation of the longest window read; slots and their arrays are reused.
 */
public final class HistogramWindow {
    private final long intervalMillis;
    private final HistogramLayout layout;
    private BucketSample[] slots;
    private int next;
    private int size;
    long seenAt;

    HistogramWindow(long intervalMillis, HistogramLayout layout, long rangeMillis) {
        this.intervalMillis = intervalMillis;
        this.layout = layout;
        this.slots = newSlots(capacity(rangeMillis));
    }

    void ensureRange(long rangeMillis) {
        int capacity = capacity(rangeMillis);
        if (capacity <= slots.length) {
            return;
        }
        BucketSample[] grown = newSlots(capacity);
        for (int i = 0; i < size; i++) {
            grown[i] = sample(i);
        }
        slots = grown;
        next = size;
    }

    /** Appends the histogram as read at {@code nowMillis}. */
    public void record(long nowMillis, HistogramPoint point) {
        slots[next].copyFrom(nowMillis, point);
        next = (next + 1) % slots.length;
        if (size < slots.length) {
            size++;
        }
    }

    /**
     * The value at quantile {@code q} (0..1) of the values recorded in the window ending now, in the histogram's
     * recorded unit (nanoseconds for a timer), as HdrHistogram computes percentiles: the highest value equivalent to
     * the bucket where the cumulative count reaches {@code ceil(q * count)}. NaN if nothing was recorded in the
     * window or fewer than two samples exist.
     */
    public double quantile(long nowMillis, long rangeMillis, double q) {
        int start = windowStart(nowMillis - rangeMillis);
        if (start < 0) {
            return Double.NaN;
        }
        BucketSample last = sample(size - 1);
        BucketSample first = sample(start);
        long total = last.count - first.count;
        if (total <= 0) {
            return Double.NaN;
        }
        double percentile = Math.min(Math.max(Math.nextDown(q * 100.0), 0.0), 100.0);
        long rank = Math.max(1, (long) Math.ceil(percentile * total / 100.0));
        long cumulative = 0;
        for (int i = Math.min(first.lowIndex, last.lowIndex); i <= last.highIndex(); i++) {
            cumulative += last.countAt(i) - first.countAt(i);
            if (cumulative >= rank) {
                return q == 0 ? layout.valueAt(i) : layout.highestValueAt(i);
            }
        }
        return Double.NaN;
    }

    /** Bytes held by the samples' bucket arrays (for the memory statement and its test). */
    public long bytes() {
        long bytes = 0;
        for (BucketSample slot : slots) {
            bytes += slot.bytes();
        }
        return bytes;
    }

    private int windowStart(long startMillis) {
        if (size < 2) {
            return -1;
        }
        int low = 0;
        int high = size - 1;
        int found = 0;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (sample(mid).timeMillis <= startMillis) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return Math.min(found, size - 2);
    }

    private BucketSample sample(int i) {
        int start = size < slots.length ? 0 : next;
        return slots[(start + i) % slots.length];
    }

    private int capacity(long rangeMillis) {
        return Math.toIntExact(Math.max(2, (rangeMillis + intervalMillis - 1) / intervalMillis + 2));
    }

    private static BucketSample[] newSlots(int capacity) {
        BucketSample[] slots = new BucketSample[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = new BucketSample();
        }
        return slots;
    }
}
