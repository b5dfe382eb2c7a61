package io.streammetrics.window;

import java.time.Duration;

/**
 * How finely windows keep history. Every evaluation appends one sample to the fine tier of each tracked scalar
 * series; windows longer than {@link #fineLimitMillis()} (the 6 h and 3 d windows of an SLO) are read from a coarse
 * tier that keeps one checkpoint per {@link #coarseStepMillis()}, because three days of one-second samples would
 * cost 4 MB a series for no better answer: their start is then known to within one coarse step, and rates divide
 * by the true time between the two checkpoints used.
 *
 * <p>State per tracked scalar series (a counter, a gauge, a histogram's count, sum or one bucket bound), for the
 * longest window {@code W} the rules read it with: {@code 16 * (min(W, fineLimit) / interval + 2)} bytes, plus
 * {@code 16 * (W / coarseStep + 2)} bytes when {@code W > fineLimit}. With the defaults (1 s, 1 h, 1 min) a counter
 * read over 5 min costs 4.8 kB; one read by the default SLO windows (3 d) costs 57.6 kB + 69.2 kB.
 *
 * @param intervalMillis   the evaluation interval, the fine tier's step
 * @param fineLimitMillis  the longest window served at full resolution
 * @param coarseStepMillis the coarse tier's step
 */
public record WindowSettings(long intervalMillis, long fineLimitMillis, long coarseStepMillis) {
    /** One-second evaluations, one hour at full resolution, one-minute checkpoints beyond. */
    public static final WindowSettings DEFAULT = of(Duration.ofSeconds(1));

    /** Checks the settings. */
    public WindowSettings {
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("evaluation interval must be positive, got " + intervalMillis + " ms");
        }
        if (fineLimitMillis < intervalMillis || coarseStepMillis < intervalMillis) {
            throw new IllegalArgumentException("window fine limit (" + fineLimitMillis + " ms) and coarse step ("
                    + coarseStepMillis + " ms) must not be shorter than the evaluation interval (" + intervalMillis + " ms)");
        }
    }

    /** The defaults around another evaluation interval (the coarse step never finer than the interval). */
    public static WindowSettings of(Duration interval) {
        long millis = interval.toMillis();
        return new WindowSettings(millis, Math.max(millis, Duration.ofHours(1).toMillis()),
                Math.max(millis, Duration.ofMinutes(1).toMillis()));
    }

    int fineCapacity(long rangeMillis) {
        return capacity(Math.min(rangeMillis, fineLimitMillis), intervalMillis);
    }

    int coarseCapacity(long rangeMillis) {
        return rangeMillis <= fineLimitMillis ? 0 : capacity(rangeMillis, coarseStepMillis);
    }

    private static int capacity(long rangeMillis, long stepMillis) {
        // One sample at the window's start, one per step after it, and one spare for a late tick.
        return Math.toIntExact(Math.max(2, (rangeMillis + stepMillis - 1) / stepMillis + 2));
    }
}
