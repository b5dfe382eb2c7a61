package io.streammetrics.window;

import io.streammetrics.snapshot.HistogramPoint;

/**
 * The cumulative bucket counts of one histogram at one evaluation, kept compactly: only the range from the lowest to
 * the highest non-zero bucket. The {@code long[]} is reused when the slot is overwritten, so a window in steady
 * state allocates only when a histogram's range widens.
 */
final class BucketSample {
    long timeMillis;
    long count;
    int lowIndex;
    int length;
    long[] counts = new long[0];

    void copyFrom(long time, HistogramPoint point) {
        timeMillis = time;
        count = point.count();
        lowIndex = point.lowIndex();
        length = point.highIndex() - lowIndex + 1;
        if (counts.length < length) {
            counts = new long[length];
        }
        for (int i = 0; i < length; i++) {
            counts[i] = point.countAt(lowIndex + i);
        }
    }

    long countAt(int index) {
        int at = index - lowIndex;
        return at < 0 || at >= length ? 0 : counts[at];
    }

    int highIndex() {
        return lowIndex + length - 1;
    }

    long bytes() {
        return 8L * counts.length + 32;
    }
}
