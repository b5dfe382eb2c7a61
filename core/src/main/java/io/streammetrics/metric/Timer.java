package io.streammetrics.metric;

import io.streammetrics.common.EngineClock;
import io.streammetrics.exemplar.ExemplarLabels;
import io.streammetrics.internal.ring.ProducerRings;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A timer bound to one series: a histogram of durations recorded in nanoseconds and exported in seconds. Time a
 * section without allocating:
 *
 * <pre>{@code
 * long start = timer.start();
 * process(record);
 * timer.recordSince(start);
 * }</pre>
 *
 * <p>A thread's first record on a timer allocates its cell there, as for {@link Histogram}; its later records
 * allocate nothing. {@link #recordWithExemplar} and {@link #recordSinceWithExemplar} also offer the trace context
 * as an exemplar, as {@link Histogram#recordWithExemplar} does.
 */
public final class Timer extends HistogramRecorder {
    private final EngineClock clock;

    Timer(int seriesId, int histogramIndex, ProducerRings rings, EngineClock clock) {
        super(seriesId, histogramIndex, rings);
        this.clock = clock;
    }

    /**
     * Records a duration in nanoseconds; with automatic exemplars on, also offers the current sampled span (if any)
     * as its exemplar.
     */
    public void record(long nanos) {
        recordValue(nanos);
    }

    /**
     * Records a duration in nanoseconds with its trace context as an exemplar candidate (trace id as two longs, span
     * id as one; a zero trace id records the duration only). Allocates nothing.
     */
    public void recordWithExemplar(long nanos, long traceIdHigh, long traceIdLow, long spanId) {
        recordWithExemplar(nanos, traceIdHigh, traceIdLow, spanId, ExemplarLabels.NONE);
    }

    /** {@link #recordWithExemplar(long, long, long, long)} with extra exemplar labels resolved beforehand. */
    public void recordWithExemplar(long nanos, long traceIdHigh, long traceIdLow, long spanId, ExemplarLabels labels) {
        recordValueWithExemplar(nanos, traceIdHigh, traceIdLow, spanId, labels);
    }

    /** Records the time elapsed since {@code startNanos} with an exemplar, as {@link #recordWithExemplar}. */
    public void recordSinceWithExemplar(long startNanos, long traceIdHigh, long traceIdLow, long spanId) {
        recordWithExemplar(clock.nanoTime() - startNanos, traceIdHigh, traceIdLow, spanId, ExemplarLabels.NONE);
    }

    /** Records a duration. */
    public void record(Duration duration) {
        record(duration.toNanos());
    }

    /** Records {@code length} durations in nanoseconds, claiming ring slots in bulk when they travel as events. */
    public void recordBatch(long[] nanos, int offset, int length) {
        recordValues(nanos, offset, length);
    }

    /** The engine clock's current time, to pass to {@link #recordSince(long)}. */
    public long start() {
        return clock.nanoTime();
    }

    /** Records the time elapsed since {@code startNanos}, a value from {@link #start()}. */
    public void recordSince(long startNanos) {
        record(clock.nanoTime() - startNanos);
    }

    /** Runs {@code section} and records how long it took, also when it throws. */
    public void time(Runnable section) {
        long start = start();
        try {
            section.run();
        } finally {
            recordSince(start);
        }
    }

    /** Calls {@code section}, records how long it took (also when it throws) and returns its result. */
    public <T> T timeSupplier(Supplier<T> section) {
        long start = start();
        try {
            return section.get();
        } finally {
            recordSince(start);
        }
    }

    /** The store slot of this series. */
    public int seriesId() {
        return series();
    }
}
