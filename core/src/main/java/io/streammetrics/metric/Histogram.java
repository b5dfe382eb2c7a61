package io.streammetrics.metric;

import io.streammetrics.ring.HomeRing;
import io.streammetrics.ring.ProducerRings;
import io.streammetrics.ring.RecordEvent;

/**
 * A histogram bound to one series, recording non-negative integer values into HdrHistogram buckets. A negative
 * value is rejected and a value above the engine's highest trackable value is clamped to it, both counted.
 *
 * <p>A thread that records into a histogram often gets a cell there once it has shown itself hot (a few dozen
 * records within 20 ms), sized by the buckets its values reach (8 bytes a bucket, within
 * {@code MetricsEngine.Builder#histogramCellMemory}); until then, and on cold histograms, its records are ring
 * events. A record allocates only when it makes a cell or a value falls outside every bucket block reached so far.
 */
public final class Histogram {
    private final int seriesId;
    private final int histogramIndex;
    private final int operation;
    private final ProducerRings rings;
    private final HomeRing home = new HomeRing();

    Histogram(int seriesId, int histogramIndex, ProducerRings rings) {
        this.seriesId = seriesId;
        this.histogramIndex = histogramIndex;
        this.operation = RecordEvent.histogramOperation(histogramIndex);
        this.rings = rings;
    }

    /** Records one value. */
    public void record(long value) {
        home.ring(rings).recordHistogram(seriesId, histogramIndex, operation, value);
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
