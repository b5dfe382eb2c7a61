package io.streammetrics.metric;

import io.streammetrics.exemplar.ExemplarLabels;
import io.streammetrics.internal.ring.ProducerRings;

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
public final class Histogram extends HistogramRecorder {

    Histogram(int seriesId, int histogramIndex, ProducerRings rings) {
        super(seriesId, histogramIndex, rings);
    }

    /**
     * Records one value; with automatic exemplars on, also offers the current sampled span (if any) as its
     * exemplar.
     */
    public void record(long value) {
        recordValue(value);
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
        recordValueWithExemplar(value, traceIdHigh, traceIdLow, spanId, labels);
    }

    /** Records {@code length} values from {@code values[offset]} on, claiming ring slots in bulk when they travel as events. */
    public void recordBatch(long[] values, int offset, int length) {
        recordValues(values, offset, length);
    }

    /** The store slot of this series. */
    public int seriesId() {
        return series();
    }
}
