package io.streammetrics;

/**
 * Thrown by {@link MetricsEngine#snapshot()} (and by {@link MetricsEngine#start()}) once the engine is
 * {@link EngineState#FAILED}: its aggregator stopped on an error, so the store no longer follows the records and a
 * snapshot would show stale values as if they were current. The cause is the aggregator's error.
 */
public final class EngineFailedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    EngineFailedException(Throwable cause) {
        super("streammetrics engine failed: its aggregator stopped on " + cause
                + "; records are dropped and counted, snapshots are refused", cause);
    }
}
