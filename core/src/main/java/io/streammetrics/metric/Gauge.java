package io.streammetrics.metric;

import io.streammetrics.internal.ring.ProducerRings;
import io.streammetrics.internal.ring.RecordEvent;
import io.streammetrics.internal.ring.ThreadRingCache;

/**
 * A gauge bound to one series. Writes from one thread apply in order; writes from different threads apply in the
 * order the aggregator drains them. A NaN is rejected by the aggregator and counted.
 */
public final class Gauge {
    private final int seriesId;
    private final ProducerRings rings;
    private final ThreadRingCache ringCache = new ThreadRingCache();

    Gauge(int seriesId, ProducerRings rings) {
        this.seriesId = seriesId;
        this.rings = rings;
    }

    /** Sets the value. */
    public void set(double value) {
        ringCache.ring(rings).publish(seriesId, RecordEvent.GAUGE_SET, Double.doubleToRawLongBits(value));
    }

    /** Adds to the value (negative to subtract). */
    public void add(double delta) {
        ringCache.ring(rings).publish(seriesId, RecordEvent.GAUGE_ADD, Double.doubleToRawLongBits(delta));
    }

    /** Adds one. */
    public void increment() {
        add(1.0);
    }

    /** Subtracts one. */
    public void decrement() {
        add(-1.0);
    }

    /** The store slot of this series. */
    public int seriesId() {
        return seriesId;
    }
}
