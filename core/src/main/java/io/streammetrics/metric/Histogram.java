package io.streammetrics.metric;

import io.streammetrics.exemplar.ExemplarLabels;
import io.streammetrics.internal.ring.CurrentSpanSource;
import io.streammetrics.internal.ring.ExemplarGate;
import io.streammetrics.internal.ring.HomeRing;
import io.streammetrics.internal.ring.ProducerRing;
import io.streammetrics.internal.ring.ProducerRings;
import io.streammetrics.internal.ring.RecordEvent;

/**
 * A histogram bound to one series, recording non-negative integer values into HdrHistogram buckets. A negative
 * value is rejected and a value above the engine's highest trackable value is clamped to it, both counted.
 *
 * <p>A thread that records into a histogram often gets a cell there once it has shown itself hot (a few dozen
 * records within 20 ms), sized by the buckets its values reach (8 bytes a bucket, within
 * {@code MetricsEngine.Builder#histogramCellMemory}); until then, and on cold histograms, its records are ring
 * events. A record allocates only when it makes a cell or a value falls outside every bucket block reached so far.
 *
 * <p>{@link #recordWithExemplar} also offers the trace and span the value belongs to as an exemplar: at most one
 * per sample interval (90 ms by default) leaves the thread, and the store keeps one per classic bucket plus the
 * newest and the largest (see {@code MetricsEngine.Builder#exemplarSampleInterval}).
 */
public final class Histogram {
    private final int seriesId;
    private final int histogramIndex;
    private final int operation;
    private final ProducerRings rings;
    private final HomeRing home = new HomeRing();
    private final ExemplarGate gate;
    /** The automatic exemplar form's source: null unless the engine turned it on. */
    private final CurrentSpanSource spans;

    Histogram(int seriesId, int histogramIndex, ProducerRings rings) {
        this.seriesId = seriesId;
        this.histogramIndex = histogramIndex;
        this.operation = RecordEvent.histogramOperation(histogramIndex);
        this.rings = rings;
        this.gate = new ExemplarGate(rings);
        this.spans = rings.currentSpanSource();
    }

    /**
     * Records one value; with automatic exemplars on, also offers the current sampled span (if any) as its
     * exemplar.
     */
    public void record(long value) {
        final ProducerRing ring = home.ring(rings);
        ring.recordHistogram(seriesId, histogramIndex, operation, value);
        final CurrentSpanSource spans = this.spans;
        if (spans != null && gate.isOpen() && !spans.publishCurrent(gate, ring, seriesId, histogramIndex, value)) {
            gate.backOff(ExemplarGate.NO_SPAN_BACK_OFF_MILLIS);
        }
    }

    /**
     * Records one value with its trace context as an exemplar candidate: the W3C trace id as two longs (its first
     * and last 8 bytes, big-endian) and the span id as one. A trace id of zero means "no trace": only the value is
     * recorded. Allocates nothing.
     */
    public void recordWithExemplar(long value, long traceIdHigh, long traceIdLow, long spanId) {
        recordWithExemplar(value, traceIdHigh, traceIdLow, spanId, ExemplarLabels.NONE);
    }

    /** {@link #recordWithExemplar(long, long, long, long)} with extra exemplar labels resolved beforehand. */
    public void recordWithExemplar(long value, long traceIdHigh, long traceIdLow, long spanId, ExemplarLabels labels) {
        final ProducerRing ring = home.ring(rings);
        ring.recordHistogram(seriesId, histogramIndex, operation, value);
        if ((traceIdHigh | traceIdLow) != 0 && gate.tryAcquire()) {
            ring.publishExemplar(seriesId, histogramIndex, value, traceIdHigh, traceIdLow, spanId,
                    rings.exemplarClock().epochMillis(), labels.storeOffset());
        }
    }

    /** Records {@code length} values from {@code values[offset]} on, claiming ring slots in bulk when they travel as events. */
    public void recordBatch(long[] values, int offset, int length) {
        home.ring(rings).recordHistogramBatch(seriesId, histogramIndex, operation, values, offset, length);
    }

    /** The store slot of this series. */
    public int seriesId() {
        return seriesId;
    }
}
