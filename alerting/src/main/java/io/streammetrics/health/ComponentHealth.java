package io.streammetrics.health;

import java.time.Duration;
import java.util.Objects;

/**
 * One component's line in a {@link HealthReport}.
 *
 * @param name     the name it was registered under
 * @param status   its status, {@link HealthStatus#CRITICAL} if the check failed or timed out
 * @param detail   the check's explanation, or why the check failed
 * @param duration how long the check took (the timeout, for one that timed out)
 */
public record ComponentHealth(String name, HealthStatus status, String detail, Duration duration) {

    /** Checks the fields. */
    public ComponentHealth {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(duration, "duration");
    }
}
