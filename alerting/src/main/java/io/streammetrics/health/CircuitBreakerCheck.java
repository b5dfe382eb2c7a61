package io.streammetrics.health;

import io.streammetrics.common.EngineClock;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;

/**
 * A circuit breaker's state as a health component, set by the code that owns the breaker (this class breaks no
 * circuit itself): closed is {@link HealthStatus#HEALTHY}, half-open (probing whether the dependency is back)
 * {@link HealthStatus#DEGRADED}, open (calls short-circuited) {@link HealthStatus#CRITICAL}.
 *
 * <pre>{@code
 * CircuitBreakerCheck payments = CircuitBreakerCheck.create();
 * monitor.register("payments-circuit", payments);
 * breaker.onStateChange(state -> payments.set(CircuitBreakerCheck.State.valueOf(state.name())));
 * }</pre>
 *
 * Thread-safe; setting the state is a volatile write, cheap enough for any thread.
 */
public final class CircuitBreakerCheck implements HealthCheck {
    /** A circuit breaker's state. */
    public enum State {
        /** Calls go through. */
        CLOSED,
        /** A few trial calls go through to see whether the dependency recovered. */
        HALF_OPEN,
        /** Calls are short-circuited. */
        OPEN
    }

    /** The state and since when, swapped as one so that a reader never pairs a state with another's time. */
    private record Since(State state, long epochMillis) {
    }

    private final EngineClock clock;
    private volatile Since current;

    private CircuitBreakerCheck(EngineClock clock) {
        this.clock = clock;
        this.current = new Since(State.CLOSED, clock.epochMillis());
    }

    /** A breaker component, closed, on the system clock. */
    public static CircuitBreakerCheck create() {
        return new CircuitBreakerCheck(EngineClock.SYSTEM);
    }

    /** A breaker component, closed, that time-stamps state changes with {@code clock}. */
    public static CircuitBreakerCheck create(EngineClock clock) {
        return new CircuitBreakerCheck(Objects.requireNonNull(clock, "clock"));
    }

    /** Records the breaker's state; setting the current state again keeps its original time. */
    public void set(State state) {
        Objects.requireNonNull(state, "state");
        if (current.state() != state) {
            current = new Since(state, clock.epochMillis());
        }
    }

    /** The breaker's current state. */
    public State state() {
        return current.state();
    }

    @Override
    public HealthCheckResult check() {
        Since since = current;
        HealthStatus status = switch (since.state()) {
            case CLOSED -> HealthStatus.HEALTHY;
            case HALF_OPEN -> HealthStatus.DEGRADED;
            case OPEN -> HealthStatus.CRITICAL;
        };
        return new HealthCheckResult(status, since.state().name().toLowerCase(Locale.ROOT).replace('_', '-')
                + " since " + DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(since.epochMillis())));
    }
}
