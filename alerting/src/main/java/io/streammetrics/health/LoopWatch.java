package io.streammetrics.health;

import java.time.Duration;

/**
 * What {@link EngineCheck} and {@link EvaluatorCheck} share in judging a loop that must keep making progress: a
 * positive stall limit past which the loop counts as stalled, and a latch over a growing count of survived problems
 * (aggregator errors, skipped evaluation ticks) so that new ones degrade one report, not every report after.
 *
 * <p>Thread-safe: the stall limit is final, and the latch's last reported count is read and replaced under this
 * object's monitor, since health checks may run on several threads at once (a probe and a cached report's refresh).
 */
final class LoopWatch {
    private final long stallLimitNanos;
    /** The count already reported by {@link #newSinceLastReport}; guarded by {@code this}. */
    private long reported;

    /**
     * @throws IllegalArgumentException if {@code stallLimit} is zero or negative
     */
    LoopWatch(Duration stallLimit) {
        if (stallLimit.isNegative() || stallLimit.isZero()) {
            throw new IllegalArgumentException("stall limit must be positive, got " + stallLimit);
        }
        this.stallLimitNanos = stallLimit.toNanos();
    }

    /** Whether a loop whose last progress was {@code nanosSinceProgress} ago counts as stalled. */
    boolean stalled(long nanosSinceProgress) {
        return nanosSinceProgress > stallLimitNanos;
    }

    /**
     * How much of the cumulative count {@code total} is new since the previous call (0 the second time the same
     * total is seen); remembers {@code total} as reported.
     */
    synchronized long newSinceLastReport(long total) {
        long fresh = total - reported;
        reported = total;
        return fresh;
    }
}
