package io.streammetrics.health;

import java.util.Objects;

/**
 * What one {@link HealthCheck} found.
 *
 * @param status how the component is doing
 * @param detail a short human-readable explanation ("reachable", "3 of 4 replicas up"); never {@code null}
 */
public record HealthCheckResult(HealthStatus status, String detail) {

    /** Checks the fields. */
    public HealthCheckResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }

    /** A healthy result. */
    public static HealthCheckResult healthy(String detail) {
        return new HealthCheckResult(HealthStatus.HEALTHY, detail);
    }

    /** A degraded result. */
    public static HealthCheckResult degraded(String detail) {
        return new HealthCheckResult(HealthStatus.DEGRADED, detail);
    }

    /** A critical result. */
    public static HealthCheckResult critical(String detail) {
        return new HealthCheckResult(HealthStatus.CRITICAL, detail);
    }
}
