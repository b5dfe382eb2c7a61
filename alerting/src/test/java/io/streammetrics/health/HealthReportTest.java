package io.streammetrics.health;

import io.streammetrics.alert.rule.Severity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HealthReportTest {
    @Test
    void jsonCarriesStatusHttpStatusAlertCountsAndComponents() {
        HealthReport report = HealthReport.of(List.of(
                        new ComponentHealth("kafka", HealthStatus.HEALTHY, "reachable", Duration.ofNanos(1_250_000)),
                        new ComponentHealth("cache \"l2\"", HealthStatus.DEGRADED, "cold\nstart", Duration.ZERO)),
                Map.of(Severity.WARNING, 2), 1_767_323_045_678L);

        assertEquals("{\"status\":\"degraded\",\"httpStatus\":200,\"timestamp\":\"2026-01-02T03:04:05.678Z\","
                + "\"firingAlerts\":{\"info\":0,\"warning\":2,\"critical\":0,\"fatal\":0},"
                + "\"components\":{\"kafka\":{\"status\":\"healthy\",\"detail\":\"reachable\",\"durationMillis\":1.25},"
                + "\"cache \\\"l2\\\"\":{\"status\":\"degraded\",\"detail\":\"cold\\nstart\",\"durationMillis\":0}}}",
                report.toJson());
    }

    @Test
    void criticalIs503AndTheStatusIsDerived() {
        HealthReport report = HealthReport.of(List.of(), Map.of(Severity.FATAL, 1), 0);

        assertEquals(HealthStatus.CRITICAL, report.status());
        assertEquals(503, report.httpStatus());
    }

    @Test
    void negativeCountsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> HealthReport.of(List.of(), Map.of(Severity.INFO, -1), 0));
    }
}
