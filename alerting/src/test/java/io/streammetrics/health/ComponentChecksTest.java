package io.streammetrics.health;

import io.streammetrics.testing.TestClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComponentChecksTest {
    @Test
    void circuitBreakerStatesMapToHealthWithTheTimeOfTheChange() {
        TestClock clock = new TestClock(1_767_323_045_678L);
        CircuitBreakerCheck breaker = CircuitBreakerCheck.create(clock);
        assertEquals(HealthCheckResult.healthy("closed since 2026-01-02T03:04:05.678Z"), breaker.check());

        clock.advance(Duration.ofSeconds(1));
        breaker.set(CircuitBreakerCheck.State.OPEN);
        assertEquals(HealthCheckResult.critical("open since 2026-01-02T03:04:06.678Z"), breaker.check());

        clock.advance(Duration.ofSeconds(1));
        breaker.set(CircuitBreakerCheck.State.OPEN);
        assertEquals("open since 2026-01-02T03:04:06.678Z", breaker.check().detail(), "re-setting keeps the time");

        breaker.set(CircuitBreakerCheck.State.HALF_OPEN);
        assertEquals(HealthCheckResult.degraded("half-open since 2026-01-02T03:04:07.678Z"), breaker.check());
        assertEquals(CircuitBreakerCheck.State.HALF_OPEN, breaker.state());

        breaker.set(CircuitBreakerCheck.State.CLOSED);
        assertEquals(HealthStatus.HEALTHY, breaker.check().status());
    }

    @Test
    void dependencyCheckReportsReachabilityAndPingFailures() throws Exception {
        assertEquals(HealthCheckResult.healthy("reachable"), DependencyCheck.of(() -> true).check());
        assertEquals(HealthCheckResult.critical("unreachable: ping returned false"),
                DependencyCheck.of(() -> false).check());
        HealthCheckResult thrown = DependencyCheck.of(() -> {
            throw new IOException("connection refused");
        }, HealthStatus.DEGRADED).check();
        assertEquals(HealthStatus.DEGRADED, thrown.status());
        assertTrue(thrown.detail().contains("connection refused"), thrown.detail());
        assertThrows(IllegalArgumentException.class, () -> DependencyCheck.of(() -> true, HealthStatus.HEALTHY));
    }
}
