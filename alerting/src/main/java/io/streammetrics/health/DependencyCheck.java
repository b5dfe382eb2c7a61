package io.streammetrics.health;

import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * A health check of a dependency (a broker, a database, a downstream service) from a ping: {@code true} means
 * reachable. An unreachable dependency reports the status it was built with: {@link HealthStatus#CRITICAL} for one
 * the process cannot work without, {@link HealthStatus#DEGRADED} for one it can do without for a while. A ping
 * that throws counts as unreachable, with the exception as detail.
 *
 * <pre>{@code
 * monitor.register("postgres", DependencyCheck.of(() -> connection.isValid(1)));
 * monitor.register("enrichment-cache", DependencyCheck.of(cache::ping, HealthStatus.DEGRADED));
 * }</pre>
 */
public final class DependencyCheck implements HealthCheck {
    private final Callable<Boolean> ping;
    private final HealthStatus whenDown;

    private DependencyCheck(Callable<Boolean> ping, HealthStatus whenDown) {
        this.ping = Objects.requireNonNull(ping, "ping");
        this.whenDown = Objects.requireNonNull(whenDown, "whenDown");
    }

    /** An essential dependency: critical when the ping fails. */
    public static DependencyCheck of(Callable<Boolean> ping) {
        return new DependencyCheck(ping, HealthStatus.CRITICAL);
    }

    /**
     * A dependency whose loss means {@code whenDown}.
     *
     * @throws IllegalArgumentException if {@code whenDown} is {@link HealthStatus#HEALTHY}, which would hide the loss
     */
    public static DependencyCheck of(Callable<Boolean> ping, HealthStatus whenDown) {
        if (whenDown == HealthStatus.HEALTHY) {
            throw new IllegalArgumentException("whenDown must be DEGRADED or CRITICAL: a lost dependency is not healthy");
        }
        return new DependencyCheck(ping, whenDown);
    }

    @Override
    public HealthCheckResult check() throws InterruptedException {
        try {
            Boolean up = ping.call();
            return Boolean.TRUE.equals(up) ? HealthCheckResult.healthy("reachable")
                    : new HealthCheckResult(whenDown, "unreachable: ping returned " + up);
        } catch (InterruptedException e) {
            // The monitor's timeout: let it report the timeout rather than a ping failure.
            throw e;
        } catch (Exception e) {
            return new HealthCheckResult(whenDown, "unreachable: " + e);
        }
    }
}
