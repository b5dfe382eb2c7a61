package io.streammetrics.common;

import org.agrona.concurrent.OffsetEpochNanoClock;

/**
 * The engine's source of time: a monotonic nanosecond clock for timers and a wall clock for timestamps. Injectable
 * so that tests drive time by hand.
 */
public interface EngineClock {
    /** The system clocks: {@link System#nanoTime()} and {@link System#currentTimeMillis()}. */
    EngineClock SYSTEM = new EngineClock() {
        // Agrona's offset clock: System.nanoTime() plus a wall-clock offset it re-samples now and then, so that it
        // allocates nothing per call, unlike Instant.now().
        private final OffsetEpochNanoClock epochNanos = new OffsetEpochNanoClock();

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long epochMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public long epochNanos() {
            return epochNanos.nanoTime();
        }
    };

    /** Monotonic time in nanoseconds, for durations only. */
    long nanoTime();

    /** Wall-clock time in milliseconds since the epoch. */
    long epochMillis();

    /**
     * Wall-clock time in nanoseconds since the epoch, to measure latency from event timestamps taken in nanoseconds.
     * The default scales {@link #epochMillis()}; the system clock is finer.
     */
    default long epochNanos() {
        return epochMillis() * 1_000_000L;
    }
}
