package io.streammetrics.window;

/**
 * A fixed-capacity ring of {@code (epoch millis, value)} samples in time order: the newest overwrites the oldest.
 * Two primitive arrays, no object per sample, so a ring of {@code n} samples costs {@code 16 n} bytes. Not
 * thread-safe: the evaluator thread is its only user.
 */
public final class SampleRing {
    private final long[] times;
    private final double[] values;
    private int next;
    private int size;

    /** A ring that keeps the newest {@code capacity} samples (at least 2). */
    public SampleRing(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("sample ring capacity must be >= 2, got " + capacity);
        }
        this.times = new long[capacity];
        this.values = new double[capacity];
    }

    /** Appends a sample; times must not go backwards. */
    public void append(long timeMillis, double value) {
        times[next] = timeMillis;
        values[next] = value;
        next = (next + 1) % times.length;
        if (size < times.length) {
            size++;
        }
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return times.length;
    }

    /** Time of the {@code i}-th sample, 0 being the oldest. */
    public long timeAt(int i) {
        return times[slot(i)];
    }

    /** Value of the {@code i}-th sample, 0 being the oldest. */
    public double valueAt(int i) {
        return values[slot(i)];
    }

    /** Time of the newest sample; the ring must not be empty. */
    public long lastTime() {
        return timeAt(size - 1);
    }

    /** Value of the newest sample, or NaN when empty. */
    public double lastValue() {
        return size == 0 ? Double.NaN : valueAt(size - 1);
    }

    /** Index of the newest sample taken at or before {@code timeMillis}, or -1 if every sample is later. */
    public int indexAtOrBefore(long timeMillis) {
        int low = 0;
        int high = size - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (timeAt(mid) <= timeMillis) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    /**
     * Index of the sample a window of {@code rangeMillis} ending at the newest sample starts from: the newest one at
     * or before the window's start, or the oldest one when the ring does not reach back that far (a partial window
     * right after start-up). -1 when fewer than two samples exist.
     */
    public int windowStart(long nowMillis, long rangeMillis) {
        if (size < 2) {
            return -1;
        }
        int index = indexAtOrBefore(nowMillis - rangeMillis);
        return Math.min(Math.max(index, 0), size - 2);
    }

    /** A ring of another capacity holding the newest samples of this one. */
    public SampleRing resized(int capacity) {
        SampleRing copy = new SampleRing(capacity);
        for (int i = Math.max(0, size - capacity); i < size; i++) {
            copy.append(timeAt(i), valueAt(i));
        }
        return copy;
    }

    private int slot(int i) {
        int start = size < times.length ? 0 : next;
        return (start + i) % times.length;
    }
}
