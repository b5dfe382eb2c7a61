package io.streammetrics.metric;

import io.streammetrics.exemplar.ExemplarLabels;
import io.streammetrics.internal.ring.CurrentSpanSource;
import io.streammetrics.internal.ring.ExemplarGate;
import io.streammetrics.internal.ring.ProducerRing;
import io.streammetrics.internal.ring.ProducerRings;
import io.streammetrics.internal.ring.RecordEvent;
import io.streammetrics.internal.ring.ThreadRingCache;

/**
 * A counter bound to one series. An integer increment adds to the calling thread's own counter cell, which the
 * aggregator sweeps into the store (see {@code io.streammetrics.internal.cell.CounterCells}); a fractional increment is one
 * event on the thread's ring. No lock, no lookup, no allocation, no exception. A negative, NaN or infinite increment
 * is rejected by the aggregator and counted in {@code streammetrics_values_rejected_total}.
 *
 * <p>The {@code WithExemplar} forms also offer the increment's trace context as the counter's exemplar (one per
 * series, replaced at most once per sample interval and kept at least the minimum retention).
 */
public final class Counter {
    private final int seriesId;
    private final ProducerRings rings;
    private final ThreadRingCache ringCache = new ThreadRingCache();
    private final ExemplarGate gate;
    /** The automatic exemplar form's source: null unless the engine turned it on. */
    private final CurrentSpanSource spans;

    Counter(int seriesId, ProducerRings rings) {
        this.seriesId = seriesId;
        this.rings = rings;
        this.gate = new ExemplarGate(rings);
        this.spans = rings.currentSpanSource();
    }

    /** Adds one (with automatic exemplars on, offering the current sampled span as the exemplar). */
    public void increment() {
        final ProducerRing ring = ringCache.ring(rings);
        ring.addToCounter(seriesId, 1L);
        if (spans != null && gate.isOpen()) {
            sampleCurrentSpan(ring, 1.0);
        }
    }

    /** Adds a non-negative integer amount (with automatic exemplars on, as {@link #increment()}). */
    public void add(long amount) {
        final ProducerRing ring = ringCache.ring(rings);
        ring.addToCounter(seriesId, amount);
        if (spans != null && gate.isOpen()) {
            sampleCurrentSpan(ring, (double) amount);
        }
    }

    /** Adds a non-negative amount (with automatic exemplars on, as {@link #increment()}). */
    public void add(double amount) {
        final ProducerRing ring = ringCache.ring(rings);
        ring.publish(seriesId, RecordEvent.COUNTER_ADD_DOUBLE, Double.doubleToRawLongBits(amount));
        if (spans != null && gate.isOpen()) {
            sampleCurrentSpan(ring, amount);
        }
    }

    private void sampleCurrentSpan(ProducerRing ring, double amount) {
        if (!spans.publishCurrent(gate, ring, seriesId, -1, Double.doubleToRawLongBits(amount))) {
            gate.backOff(ExemplarGate.NO_SPAN_BACK_OFF_MILLIS);
        }
    }

    /**
     * Adds one, with its trace context as an exemplar candidate: the trace id as two longs (first and last 8 bytes,
     * big-endian), the span id as one; a zero trace id only adds. Allocates nothing.
     */
    public void incrementWithExemplar(long traceIdHigh, long traceIdLow, long spanId) {
        addWithExemplar(1L, traceIdHigh, traceIdLow, spanId, ExemplarLabels.NONE);
    }

    /** Adds a non-negative integer amount with an exemplar, as {@link #incrementWithExemplar}. */
    public void addWithExemplar(long amount, long traceIdHigh, long traceIdLow, long spanId, ExemplarLabels labels) {
        final ProducerRing ring = ringCache.ring(rings);
        ring.addToCounter(seriesId, amount);
        offerExemplar(ring, (double) amount, traceIdHigh, traceIdLow, spanId, labels);
    }

    /** Adds a non-negative amount with an exemplar, as {@link #incrementWithExemplar}. */
    public void addWithExemplar(double amount, long traceIdHigh, long traceIdLow, long spanId, ExemplarLabels labels) {
        final ProducerRing ring = ringCache.ring(rings);
        ring.publish(seriesId, RecordEvent.COUNTER_ADD_DOUBLE, Double.doubleToRawLongBits(amount));
        offerExemplar(ring, amount, traceIdHigh, traceIdLow, spanId, labels);
    }

    private void offerExemplar(ProducerRing ring, double amount, long traceIdHigh, long traceIdLow, long spanId,
                               ExemplarLabels labels) {
        if ((traceIdHigh | traceIdLow) != 0 && gate.tryAcquire()) {
            ring.publishExemplar(seriesId, -1, Double.doubleToRawLongBits(amount), traceIdHigh, traceIdLow, spanId,
                    rings.exemplarClock().epochMillis(), labels.storeOffset());
        }
    }

    /** The store slot of this series. */
    public int seriesId() {
        return seriesId;
    }
}
