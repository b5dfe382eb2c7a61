package io.streammetrics;

/**
 * The engine's source of time: a monotonic nanosecond clock for timers and a wall clock for timestamps. Injectable
 * so that tests drive time by hand.
 */
public interface EngineClock {
    /** The system clocks: {@link System#nanoTime()} and {@link System#currentTimeMillis()}. */
    EngineClock SYSTEM = new EngineClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long epochMillis() {
            return System.currentTimeMillis();
        }
    };

    /** Monotonic time in nanoseconds, for durations only. */
    long nanoTime();

    /** Wall-clock time in milliseconds since the epoch. */
    long epochMillis();
}
