package io.streammetrics.metric;

import io.streammetrics.common.EngineClock;
import io.streammetrics.exemplar.ExemplarLabels;
import io.streammetrics.internal.ring.CurrentSpanSource;
import io.streammetrics.internal.ring.ExemplarGate;
import io.streammetrics.internal.ring.HomeRing;
import io.streammetrics.internal.ring.ProducerRing;
import io.streammetrics.internal.ring.ProducerRings;
import io.streammetrics.internal.ring.RecordEvent;

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
public final class Timer {
    private final int seriesId;
    private final int histogramIndex;
    private final int operation;
    private final ProducerRings rings;
    private final HomeRing home = new HomeRing();
    private final EngineClock clock;
    private final ExemplarGate gate;
    /** The automatic exemplar form's source: null unless the engine turned it on. */
    private final CurrentSpanSource spans;

    Timer(int seriesId, int histogramIndex, ProducerRings rings, EngineClock clock) {
        this.seriesId = seriesId;
        this.histogramIndex = histogramIndex;
        this.operation = RecordEvent.histogramOperation(histogramIndex);
        this.rings = rings;
        this.clock = clock;
        this.gate = new ExemplarGate(rings);
        this.spans = rings.currentSpanSource();
    }

    /**
     * Records a duration in nanoseconds; with automatic exemplars on, also offers the current sampled span (if any)
     * as its exemplar.
     */
    public void record(long nanos) {
        final ProducerRing ring = home.ring(rings);
        ring.recordHistogram(seriesId, histogramIndex, operation, nanos);
        final CurrentSpanSource spans = this.spans;
        if (spans != null && gate.isOpen() && !spans.publishCurrent(gate, ring, seriesId, histogramIndex, nanos)) {
            gate.backOff(ExemplarGate.NO_SPAN_BACK_OFF_MILLIS);
        }
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
        final ProducerRing ring = home.ring(rings);
        ring.recordHistogram(seriesId, histogramIndex, operation, nanos);
        if ((traceIdHigh | traceIdLow) != 0 && gate.tryAcquire()) {
            ring.publishExemplar(seriesId, histogramIndex, nanos, traceIdHigh, traceIdLow, spanId,
                    clock.epochMillis(), labels.storeOffset());
        }
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
        home.ring(rings).recordHistogramBatch(seriesId, histogramIndex, operation, nanos, offset, length);
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
        return seriesId;
    }
}
