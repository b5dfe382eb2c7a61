package io.streammetrics.metric;

import io.streammetrics.exemplar.ExemplarLabels;
import io.streammetrics.internal.ring.CurrentSpanSource;
import io.streammetrics.internal.ring.ExemplarGate;
import io.streammetrics.internal.ring.ProducerRing;
import io.streammetrics.internal.ring.ProducerRings;
import io.streammetrics.internal.ring.RecordEvent;
import io.streammetrics.internal.ring.ThreadRingCache;

/**
 * The record path of one histogram series, shared by {@link Histogram} (values) and {@link Timer} (nanoseconds):
 * the value goes to the thread's cell or ring, and an exemplar candidate (given, or the current sampled span when
 * automatic exemplars are on) passes the series' {@link ExemplarGate}. Allocates nothing. A superclass rather than
 * a field, so that a handle stays one object and a record one dereference, as before the two shared it.
 */
abstract sealed class HistogramRecorder permits Histogram, Timer {
    private final int seriesId;
    private final int histogramIndex;
    private final int operation;
    private final ProducerRings rings;
    private final ThreadRingCache ringCache = new ThreadRingCache();
    private final ExemplarGate gate;
    /** The automatic exemplar form's source: null unless the engine turned it on. */
    private final CurrentSpanSource spans;

    HistogramRecorder(int seriesId, int histogramIndex, ProducerRings rings) {
        this.seriesId = seriesId;
        this.histogramIndex = histogramIndex;
        this.operation = RecordEvent.histogramOperation(histogramIndex);
        this.rings = rings;
        this.gate = new ExemplarGate(rings);
        this.spans = rings.currentSpanSource();
    }

    final void recordValue(long value) {
        final ProducerRing ring = ringCache.ring(rings);
        ring.recordHistogram(seriesId, histogramIndex, operation, value);
        final CurrentSpanSource spans = this.spans;
        if (spans != null && gate.isOpen() && !spans.publishCurrent(gate, ring, seriesId, histogramIndex, value)) {
            gate.backOff(ExemplarGate.NO_SPAN_BACK_OFF_MILLIS);
        }
    }

    final void recordValueWithExemplar(long value, long traceIdHigh, long traceIdLow, long spanId, ExemplarLabels labels) {
        final ProducerRing ring = ringCache.ring(rings);
        ring.recordHistogram(seriesId, histogramIndex, operation, value);
        if ((traceIdHigh | traceIdLow) != 0 && gate.tryAcquire()) {
            ring.publishExemplar(seriesId, histogramIndex, value, traceIdHigh, traceIdLow, spanId,
                    rings.exemplarClock().epochMillis(), labels.storeOffset());
        }
    }

    final void recordValues(long[] values, int offset, int length) {
        ringCache.ring(rings).recordHistogramBatch(seriesId, histogramIndex, operation, values, offset, length);
    }

    final int series() {
        return seriesId;
    }
}
