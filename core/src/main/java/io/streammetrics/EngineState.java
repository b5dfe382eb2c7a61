package io.streammetrics;

/**
 * Where a {@link MetricsEngine} is in its life. The transitions are {@code NEW -> RUNNING} ({@link MetricsEngine#start()}),
 * {@code NEW | RUNNING -> CLOSING -> CLOSED} ({@link MetricsEngine#close()}), and {@code RUNNING | CLOSING -> FAILED}
 * when the aggregator, the store's single writer, meets an error it cannot survive. {@code CLOSED} and
 * {@code FAILED} are final.
 */
public enum EngineState {
    /** Built, not started: records wait in the rings (and counter cells) for the aggregator. */
    NEW,
    /** The aggregator applies records; snapshots see every record made before them. */
    RUNNING,
    /** {@link MetricsEngine#close()} is stopping the aggregator and applying what the rings still hold. */
    CLOSING,
    /** Closed cleanly: records are dropped and counted, snapshots return the final values. */
    CLOSED,
    /**
     * The aggregator stopped on an error ({@link MetricsEngine#status()} has the cause): records are dropped and
     * counted, threads waiting under {@link BackPressure#BLOCK} were released, and {@link MetricsEngine#snapshot()}
     * throws {@link EngineFailedException}.
     */
    FAILED
}
