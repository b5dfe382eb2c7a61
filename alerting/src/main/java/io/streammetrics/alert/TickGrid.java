package io.streammetrics.alert;

/**
 * When the evaluator runs: on a fixed grid of ticks, {@code origin + k * interval}. After each evaluation the next
 * one is the first grid point after the time it ended, so an evaluation that overran (a stalled snapshot, a long
 * pause) is followed by one evaluation at the next tick, not by a burst of catch-up runs 1-2 ms apart as
 * {@code scheduleAtFixedRate} makes, which would only re-read the same data; the grid points passed meanwhile are
 * counted as skipped. Used by the evaluator thread only.
 */
final class TickGrid {
    private final long originNanos;
    private final long intervalNanos;
    private long lastIndex;

    /** A grid whose tick 0 is {@code originNanos}; the first tick taken is tick 1. */
    TickGrid(long originNanos, long intervalNanos) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("tick interval must be positive, got " + intervalNanos + " ns");
        }
        this.originNanos = originNanos;
        this.intervalNanos = intervalNanos;
    }

    /** The time of the first tick, one interval after the origin. */
    long first() {
        lastIndex = 1;
        return originNanos + intervalNanos;
    }

    /**
     * Takes the first tick after {@code nowNanos}.
     *
     * @return how many ticks were passed over since the one taken last (0 when the last evaluation ended in time)
     */
    long advance(long nowNanos) {
        long index = Math.max(lastIndex + 1, Math.floorDiv(nowNanos - originNanos, intervalNanos) + 1);
        long skipped = index - lastIndex - 1;
        lastIndex = index;
        return skipped;
    }

    /** The time of the tick taken last. */
    long current() {
        return originNanos + lastIndex * intervalNanos;
    }
}
