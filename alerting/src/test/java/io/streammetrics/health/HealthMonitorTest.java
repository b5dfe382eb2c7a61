package io.streammetrics.health;

import io.streammetrics.alert.Alert;
import io.streammetrics.alert.AlertState;
import io.streammetrics.alert.rule.Severity;
import io.streammetrics.testing.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HealthMonitorTest {
    private static final long NOW = 1_767_323_045_678L;

    private final TestClock clock = new TestClock(NOW);
    private final List<Alert> alerts = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private HealthMonitor monitor;

    @AfterEach
    void stop() {
        release.countDown();
        if (monitor != null) {
            monitor.close();
        }
    }

    private HealthMonitor.Builder health() {
        return HealthMonitor.builder().clock(clock).alerts(() -> List.copyOf(alerts));
    }

    private static Alert alert(Severity severity, AlertState state) {
        return new Alert(severity + "-" + state, "Rule", Map.of(), Map.of(), severity, state, 1, NOW, NOW, 0, NOW,
                null, false);
    }

    private static ComponentHealth component(HealthReport report, String name) {
        return report.components().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no component " + name + " in " + report));
    }

    @Test
    void nothingRegisteredAndNothingFiringIsHealthy() {
        monitor = health().build();

        HealthReport report = monitor.report();

        assertEquals(HealthStatus.HEALTHY, report.status());
        assertEquals(200, report.httpStatus());
        assertEquals(NOW, report.timestampMillis());
    }

    @Test
    void firingAlertSeveritiesMapToTheOverallStatus() {
        monitor = health().cacheTtl(Duration.ZERO).build();

        alerts.add(alert(Severity.INFO, AlertState.FIRING));
        alerts.add(alert(Severity.CRITICAL, AlertState.PENDING));
        alerts.add(alert(Severity.FATAL, AlertState.RESOLVED));
        assertEquals(HealthStatus.HEALTHY, monitor.report().status(), "info firing, the rest not firing");

        alerts.add(alert(Severity.WARNING, AlertState.FIRING));
        HealthReport degraded = monitor.report();
        assertEquals(HealthStatus.DEGRADED, degraded.status());
        assertEquals(200, degraded.httpStatus());

        alerts.add(alert(Severity.CRITICAL, AlertState.FIRING));
        HealthReport critical = monitor.report();
        assertEquals(HealthStatus.CRITICAL, critical.status());
        assertEquals(503, critical.httpStatus());
        assertEquals(Map.of(Severity.INFO, 1, Severity.WARNING, 1, Severity.CRITICAL, 1, Severity.FATAL, 0),
                critical.firingAlerts());

        alerts.clear();
        alerts.add(alert(Severity.FATAL, AlertState.FIRING));
        assertEquals(HealthStatus.CRITICAL, monitor.report().status(), "fatal");
    }

    @Test
    void theWorstOfComponentsAndAlertsWins() {
        alerts.add(alert(Severity.WARNING, AlertState.FIRING));
        monitor = health().register("ok", () -> HealthCheckResult.healthy("fine"))
                .register("cache", () -> HealthCheckResult.degraded("cold")).build();

        HealthReport report = monitor.report();

        assertEquals(HealthStatus.DEGRADED, report.status());
        assertEquals(List.of("ok", "cache"), report.components().stream().map(ComponentHealth::name).toList());
        assertEquals("cold", component(report, "cache").detail());
    }

    @Test
    void aThrowingCheckIsCriticalWithTheReason() {
        monitor = health().register("db", () -> {
            throw new IllegalStateException("connection pool exhausted");
        }).build();

        HealthReport report = monitor.report();

        ComponentHealth db = component(report, "db");
        assertEquals(HealthStatus.CRITICAL, db.status());
        assertTrue(db.detail().contains("connection pool exhausted"), db.detail());
        assertEquals(HealthStatus.CRITICAL, report.status());
    }

    @Test
    void aCheckReturningNullIsCritical() {
        monitor = health().register("lazy", () -> null).build();

        assertEquals("check returned null", component(monitor.report(), "lazy").detail());
    }

    @Test
    void aHangingCheckTimesOutAndIsNotStartedAgainWhileItHangs() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        monitor = health().checkTimeout(Duration.ofSeconds(1)).register("stuck", () -> {
            runs.incrementAndGet();
            // Ignores interrupts, as a check blocked in a non-interruptible call would.
            while (true) {
                try {
                    release.await();
                    return HealthCheckResult.healthy("finally");
                } catch (InterruptedException ignored) {
                    // keep hanging
                }
            }
        }).register("fast", () -> HealthCheckResult.healthy("ok")).build();

        // A second, not less: the fast check shares the deadline, and on a loaded 2-core machine its thread may
        // not get the CPU within a few hundred milliseconds.
        long start = System.nanoTime();
        HealthReport first = monitor.report();
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        ComponentHealth stuck = component(first, "stuck");
        assertEquals(HealthStatus.CRITICAL, stuck.status());
        assertEquals("timed out after PT1S", stuck.detail());
        assertEquals(Duration.ofSeconds(1), stuck.duration());
        assertEquals(HealthStatus.HEALTHY, component(first, "fast").status());
        assertTrue(tookMillis >= 900 && tookMillis < 10_000, "report took " + tookMillis + " ms");

        clock.advance(Duration.ofSeconds(1));
        HealthReport second = monitor.report();

        assertTrue(component(second, "stuck").detail().startsWith("still running since an earlier report"),
                component(second, "stuck").detail());
        assertEquals(1, runs.get(), "a hung check is not started twice");
        assertEquals(HealthStatus.HEALTHY, component(second, "fast").status());
    }

    @Test
    void reportsAreCachedForTheTtlOnTheInjectedClock() {
        AtomicInteger runs = new AtomicInteger();
        monitor = health().cacheTtl(Duration.ofSeconds(2))
                .register("counted", () -> HealthCheckResult.healthy("run " + runs.incrementAndGet())).build();

        HealthReport first = monitor.report();
        clock.advance(Duration.ofMillis(1999));
        HealthReport cached = monitor.report();
        clock.advance(Duration.ofMillis(1));
        HealthReport fresh = monitor.report();

        assertSame(first, cached);
        assertEquals("run 2", component(fresh, "counted").detail());
        assertEquals(2, runs.get());
        assertEquals(NOW + 2000, fresh.timestampMillis());
    }

    @Test
    void registeringDropsTheCachedReport() {
        monitor = health().cacheTtl(Duration.ofHours(1)).build();
        monitor.report();

        monitor.register("late", () -> HealthCheckResult.critical("down"));

        assertEquals(HealthStatus.CRITICAL, monitor.report().status());
        assertTrue(monitor.unregister("late"));
        assertEquals(HealthStatus.HEALTHY, monitor.report().status());
    }

    @Test
    void aFailingAlertSourceIsReportedCritical() {
        monitor = HealthMonitor.builder().clock(clock).alerts(() -> {
            throw new IllegalStateException("evaluator stopped");
        }).build();

        ComponentHealth alertsComponent = component(monitor.report(), "alerts");

        assertEquals(HealthStatus.CRITICAL, alertsComponent.status());
        assertTrue(alertsComponent.detail().contains("evaluator stopped"), alertsComponent.detail());
    }

    @Test
    void badConfigurationIsRejectedWithTheProblemNamed() {
        HealthMonitor.Builder builder = health().register("db", () -> HealthCheckResult.healthy("ok"));
        IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class,
                () -> builder.register("db", () -> HealthCheckResult.healthy("ok")));
        assertTrue(duplicate.getMessage().contains("'db' is already registered"), duplicate.getMessage());
        assertThrows(IllegalArgumentException.class, () -> builder.register(" ", () -> null));
        IllegalArgumentException reserved = assertThrows(IllegalArgumentException.class,
                () -> builder.register(HealthMonitor.ALERTS_COMPONENT, () -> null));
        assertTrue(reserved.getMessage().contains("reserved"), reserved.getMessage());
        IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class,
                () -> builder.checkTimeout(Duration.ZERO));
        assertTrue(timeout.getMessage().contains("checkTimeout"), timeout.getMessage());
        assertThrows(IllegalArgumentException.class, () -> builder.cacheTtl(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> builder.threads(0, 1));
    }
}
