package io.streammetrics;

/**
 * How a {@link MetricsEngine} is doing, read at one moment ({@link MetricsEngine#status()}): what a health check
 * reports.
 *
 * @param state the lifecycle state
 * @param failure the error that failed the engine, or {@code null} unless {@link EngineState#FAILED}
 * @param aggregatorErrors errors the aggregator caught in its passes and survived, since the engine started
 * @param lastAggregatorError the most recent of those, or {@code null} if none
 * @param nanosSinceLastPass time since the aggregator last completed a pass over the rings, or {@code -1} if it has
 *                           not completed one (not started)
 */
public record EngineStatus(EngineState state, Throwable failure, long aggregatorErrors, Throwable lastAggregatorError,
                           long nanosSinceLastPass) {
}
