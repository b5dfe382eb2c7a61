package io.streammetrics.metric;

import io.streammetrics.ring.HomeRing;
import io.streammetrics.ring.ProducerRings;
import io.streammetrics.ring.RecordEvent;

/**
 * A counter bound to one series. An integer increment adds to the calling thread's own counter cell, which the
 * aggregator sweeps into the store (see {@code io.streammetrics.ring.CounterCells}); a fractional increment is one
 * event on the thread's ring. No lock, no lookup, no allocation, no exception. A negative, NaN or infinite increment
 * is rejected by the aggregator and counted in {@code streammetrics_values_rejected_total}.
 */
public final class Counter {
    private final int seriesId;
    private final ProducerRings rings;
    private final HomeRing home = new HomeRing();

    Counter(int seriesId, ProducerRings rings) {
        this.seriesId = seriesId;
        this.rings = rings;
    }

    /** Adds one. */
    public void increment() {
        home.ring(rings).addToCounter(seriesId, 1L);
    }

    /** Adds a non-negative integer amount. */
    public void add(long amount) {
        home.ring(rings).addToCounter(seriesId, amount);
    }

    /** Adds a non-negative amount. */
    public void add(double amount) {
        home.ring(rings).publish(seriesId, RecordEvent.COUNTER_ADD_DOUBLE, Double.doubleToRawLongBits(amount));
    }

    /** The store slot of this series. */
    public int seriesId() {
        return seriesId;
    }
}
