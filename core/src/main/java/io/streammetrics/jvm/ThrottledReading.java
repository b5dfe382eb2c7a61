package io.streammetrics.jvm;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A reading taken at most once per interval; calls in between get the last value. For JMX and {@code /proc}
 * readings that cost far more than they are worth at every call, or that several series of one refresh pass (or, with
 * a refresh interval of 0, of one snapshot) share:
 * <ul>
 *   <li>in a container, {@code getProcessCpuLoad()} and {@code getCpuLoad()} read cgroup files, measured at 98 and
 *       75 us a call on the build machines (against 2 us for {@code getProcessCpuTime()}), the largest part of
 *       what the JVM metrics added to a snapshot; both are "recent" loads the JVM computes over the time since the
 *       previous call, so reading them once a second loses nothing a rule or a dashboard could use;</li>
 *   <li>a memory pool's {@code MemoryUsage} feeds four families (used, committed, max, init) and
 *       {@code /proc/self/statm} two (resident and virtual size): read once per pass instead of once per
 *       series, by an interval far shorter than any two passes are apart.</li>
 * </ul>
 * Thread-safe: passes run one at a time, and a race would only read twice.
 */
final class ThrottledReading<T> implements Supplier<T> {
    /** Long enough to cover one refresh pass (or snapshot), short enough that two never share a reading. */
    static final long ONE_SNAPSHOT_NANOS = 10_000_000L;

    private final Supplier<T> reading;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private volatile long readAtNanos;
    private volatile T value;
    private volatile boolean read;

    ThrottledReading(Supplier<T> reading, long intervalNanos, LongSupplier nanoTime) {
        this.reading = reading;
        this.intervalNanos = intervalNanos;
        this.nanoTime = nanoTime;
    }

    /** A reading throttled on {@link System#nanoTime()}. */
    static <T> ThrottledReading<T> every(long intervalNanos, Supplier<T> reading) {
        return new ThrottledReading<>(reading, intervalNanos, System::nanoTime);
    }

    @Override
    public T get() {
        long now = nanoTime.getAsLong();
        if (!read || now - readAtNanos >= intervalNanos) {
            value = reading.get();
            readAtNanos = now;
            read = true;
        }
        return value;
    }
}
