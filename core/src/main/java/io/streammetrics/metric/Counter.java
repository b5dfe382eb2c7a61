package io.streammetrics.metric;

import io.streammetrics.ring.ProducerRings;
import io.streammetrics.ring.RecordEvent;

/**
 * A counter bound to one series. Recording publishes one event on the calling thread's ring: no lock, no lookup, no
 * allocation, no exception. A negative, NaN or infinite increment is rejected by the aggregator and counted in
 * {@code streammetrics_values_rejected_total}.
 */
public final class Counter {
    private final int seriesId;
    private final ProducerRings rings;

    Counter(int seriesId, ProducerRings rings) {
        this.seriesId = seriesId;
        this.rings = rings;
    }

    /** Adds one. */
    public void increment() {
        rings.publish(seriesId, RecordEvent.COUNTER_ADD, 1L);
    }

    /** Adds a non-negative integer amount. */
    public void add(long amount) {
        rings.publish(seriesId, RecordEvent.COUNTER_ADD, amount);
    }

    /** Adds a non-negative amount. */
    public void add(double amount) {
        rings.publish(seriesId, RecordEvent.COUNTER_ADD_DOUBLE, Double.doubleToRawLongBits(amount));
    }

    /** The store slot of this series. */
    public int seriesId() {
        return seriesId;
    }
}
