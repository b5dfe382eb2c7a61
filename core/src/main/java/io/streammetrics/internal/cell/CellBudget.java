package io.streammetrics.internal.cell;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Heap bytes that recording threads may still spend on {@link HistogramCells}, shared by every ring. Taken on a
 * thread's first record on a histogram (never on later records), given back when the thread's ring retires.
 */
public final class CellBudget {
    private final AtomicLong remaining;

    public CellBudget(long bytes) {
        this.remaining = new AtomicLong(bytes);
    }

    /** Takes {@code bytes} if that much is left. */
    boolean take(long bytes) {
        long left;
        do {
            left = remaining.get();
            if (left < bytes) {
                return false;
            }
        } while (!remaining.compareAndSet(left, left - bytes));
        return true;
    }

    void give(long bytes) {
        remaining.addAndGet(bytes);
    }
}
