package io.streammetrics.health;

/**
 * Tells how one component is doing. Registered with a {@link HealthMonitor}, which runs it on its own small pool
 * with a timeout: a check that throws, returns {@code null} or does not answer in time is reported
 * {@link HealthStatus#CRITICAL} with the reason, so a check need not guard itself.
 */
@FunctionalInterface
public interface HealthCheck {
    /** Checks the component; may block (a ping) for less than the monitor's timeout. */
    HealthCheckResult check() throws Exception;
}
