package io.streammetrics.health;

import io.streammetrics.alert.AlertEvaluator;
import io.streammetrics.alert.EvaluatorStatus;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * An {@link AlertEvaluator}'s loop as a health component: {@link HealthStatus#CRITICAL} when it has not completed an
 * evaluation for longer than the stall limit (five evaluation intervals, at least 5 s, by default), for one that
 * hangs in a snapshot or a snapshot source that keeps failing leaves every alert silently frozen;
 * {@link HealthStatus#DEGRADED} when it is not started, or when evaluations ran late and ticks were skipped since the
 * previous check; {@link HealthStatus#HEALTHY} otherwise.
 *
 * <pre>{@code
 * monitor.register("alert-evaluator", EvaluatorCheck.of(evaluator));
 * }</pre>
 *
 * Thread-safe; a check reads a few volatile fields of the evaluator and takes none of its locks.
 */
public final class EvaluatorCheck implements HealthCheck {
    private static final Duration MIN_STALL_LIMIT = Duration.ofSeconds(5);

    private final AlertEvaluator evaluator;
    /** The stall limit, and the skipped ticks already reported (late evaluations degrade one report). */
    private final LoopWatch watch;

    private EvaluatorCheck(AlertEvaluator evaluator, Duration stallLimit) {
        this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
        this.watch = new LoopWatch(stallLimit);
    }

    /** A check with the default stall limit: five evaluation intervals, at least 5 s. */
    public static EvaluatorCheck of(AlertEvaluator evaluator) {
        Duration fiveIntervals = evaluator.status().interval().multipliedBy(5);
        return new EvaluatorCheck(evaluator, fiveIntervals.compareTo(MIN_STALL_LIMIT) < 0 ? MIN_STALL_LIMIT
                : fiveIntervals);
    }

    /** A check that calls the evaluator stalled after {@code stallLimit} without a completed evaluation. */
    public static EvaluatorCheck of(AlertEvaluator evaluator, Duration stallLimit) {
        return new EvaluatorCheck(evaluator, stallLimit);
    }

    @Override
    public HealthCheckResult check() {
        EvaluatorStatus status = evaluator.status();
        if (!status.started()) {
            return HealthCheckResult.degraded("alert evaluator not started: rules are not evaluated");
        }
        long since = status.nanosSinceLastEvaluation();
        if (watch.stalled(since)) {
            String running = status.runningNanos() >= 0
                    ? "; the current one has been running for " + TimeUnit.NANOSECONDS.toMillis(status.runningNanos())
                    + " ms" : "";
            return HealthCheckResult.critical("alert evaluator stalled: no evaluation completed for "
                    + TimeUnit.NANOSECONDS.toMillis(since) + " ms (interval " + status.interval().toMillis() + " ms)"
                    + running + "; alerts keep their last state");
        }
        long skipped = status.skippedTicks();
        long newSkipped = watch.newSinceLastReport(skipped);
        if (newSkipped > 0) {
            return HealthCheckResult.degraded("alert evaluations ran late: " + newSkipped + " tick(s) skipped since "
                    + "the last check (" + skipped + " in all); the last evaluation took "
                    + status.lastDuration().toMillis() + " ms");
        }
        return HealthCheckResult.healthy("evaluating every " + status.interval().toMillis() + " ms");
    }
}
