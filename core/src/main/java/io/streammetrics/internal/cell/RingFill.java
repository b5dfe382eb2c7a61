package io.streammetrics.internal.cell;

/**
 * What a thread's histogram cells ask of that thread's producer ring: whether it is half full (the aggregator lags
 * behind the thread), in which case a pair hot in the current period alone gets its cell at once. An interface so
 * that cells, which the ring holds, do not depend on the ring in turn; the ring is its one implementation.
 */
public interface RingFill {
    /** Whether the ring is at least half full (owning thread only). */
    boolean halfFull();
}
