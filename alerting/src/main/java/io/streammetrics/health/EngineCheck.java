package io.streammetrics.health;

import io.streammetrics.EngineStatus;
import io.streammetrics.MetricsEngine;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A {@link MetricsEngine} as a health component: {@link HealthStatus#CRITICAL} when it cannot record (failed, closed)
 * or its aggregator has not completed a pass for longer than the stall limit (5 s by default; an idle aggregator
 * passes at least every 10 ms), {@link HealthStatus#DEGRADED} when it is not started yet or its aggregator survived
 * errors since the previous check, {@link HealthStatus#HEALTHY} otherwise.
 *
 * <pre>{@code
 * monitor.register("metrics-engine", EngineCheck.of(engine));
 * }</pre>
 *
 * Thread-safe; a check reads a few volatile fields.
 */
public final class EngineCheck implements HealthCheck {
    /** How long without an aggregator pass counts as stalled, unless told otherwise. */
    public static final Duration DEFAULT_STALL_LIMIT = Duration.ofSeconds(5);

    private final MetricsEngine engine;
    /** The stall limit, and the aggregator errors already reported (survived errors degrade one report). */
    private final LoopWatch watch;

    private EngineCheck(MetricsEngine engine, Duration stallLimit) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.watch = new LoopWatch(stallLimit);
    }

    /** A check of {@code engine} with the default stall limit. */
    public static EngineCheck of(MetricsEngine engine) {
        return new EngineCheck(engine, DEFAULT_STALL_LIMIT);
    }

    /** A check of {@code engine} that calls its aggregator stalled after {@code stallLimit} without a pass. */
    public static EngineCheck of(MetricsEngine engine, Duration stallLimit) {
        return new EngineCheck(engine, stallLimit);
    }

    @Override
    public HealthCheckResult check() {
        EngineStatus status = engine.status();
        switch (status.state()) {
            case FAILED:
                return HealthCheckResult.critical("aggregator failed: " + status.failure()
                        + "; records are dropped and counted, snapshots are refused");
            case CLOSING:
            case CLOSED:
                return HealthCheckResult.critical("engine " + status.state().name().toLowerCase()
                        + ": records are dropped and counted");
            case NEW:
                return HealthCheckResult.degraded("engine not started: records wait for the aggregator");
            default:
                break;
        }
        long sinceLastPass = status.nanosSinceLastPass();
        if (watch.stalled(sinceLastPass)) {
            return HealthCheckResult.critical("aggregator stalled: no pass over the rings for "
                    + TimeUnit.NANOSECONDS.toMillis(sinceLastPass) + " ms");
        }
        long errors = status.aggregatorErrors();
        long newErrors = watch.newSinceLastReport(errors);
        if (newErrors > 0) {
            return HealthCheckResult.degraded("aggregator survived " + newErrors + " error(s) since the last check ("
                    + errors + " in all), the last: " + status.lastAggregatorError());
        }
        return HealthCheckResult.healthy("running");
    }
}
