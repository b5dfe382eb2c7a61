package io.streammetrics.health;

import io.streammetrics.alert.rule.Severity;
import io.streammetrics.json.JsonWriter;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The health of the process at one moment: the overall status (the worst of the firing alerts' and the components'),
 * each component's result, and how many alerts fire per severity. Immutable.
 *
 * <p>An HTTP health endpoint answers {@link #httpStatus()} with {@link #toJson()}: 200 while healthy or degraded
 * (the process still does its job, so a load balancer keeps it in rotation), 503 when critical.
 */
public final class HealthReport {
    private final HealthStatus status;
    private final List<ComponentHealth> components;
    private final Map<Severity, Integer> firingAlerts;
    private final long timestampMillis;

    private HealthReport(List<ComponentHealth> components, Map<Severity, Integer> firingAlerts, long timestampMillis) {
        this.components = List.copyOf(components);
        EnumMap<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity severity : Severity.values()) {
            counts.put(severity, firingAlerts.getOrDefault(severity, 0));
        }
        this.firingAlerts = Collections.unmodifiableMap(counts);
        this.timestampMillis = timestampMillis;
        HealthStatus worst = HealthStatus.HEALTHY;
        for (Map.Entry<Severity, Integer> entry : counts.entrySet()) {
            if (entry.getValue() > 0) {
                worst = worst.worst(HealthStatus.of(entry.getKey()));
            }
        }
        for (ComponentHealth component : this.components) {
            worst = worst.worst(component.status());
        }
        this.status = worst;
    }

    /**
     * A report of {@code components} and firing alert counts, its status derived from both.
     *
     * @param firingAlerts counts of firing alerts by severity; missing severities count 0
     */
    public static HealthReport of(List<ComponentHealth> components, Map<Severity, Integer> firingAlerts,
                                  long timestampMillis) {
        Objects.requireNonNull(components, "components");
        Objects.requireNonNull(firingAlerts, "firingAlerts");
        firingAlerts.forEach((severity, count) -> {
            if (count < 0) {
                throw new IllegalArgumentException("negative count " + count + " of " + severity + " alerts");
            }
        });
        return new HealthReport(components, firingAlerts, timestampMillis);
    }

    /** The overall status: the worst of the components' and of what the firing alerts' severities imply. */
    public HealthStatus status() {
        return status;
    }

    /** The HTTP status a health endpoint answers: 503 when {@link HealthStatus#CRITICAL}, else 200. */
    public int httpStatus() {
        return status == HealthStatus.CRITICAL ? 503 : 200;
    }

    /** Each registered component's result, in registration order. */
    public List<ComponentHealth> components() {
        return components;
    }

    /** Firing alerts by severity; every severity is present. */
    public Map<Severity, Integer> firingAlerts() {
        return firingAlerts;
    }

    /** When the report was made, epoch millis. */
    public long timestampMillis() {
        return timestampMillis;
    }

    /**
     * The report as JSON:
     * <pre>{@code
     * {"status":"degraded","httpStatus":200,"timestamp":"2026-01-02T03:04:05.678Z",
     *  "firingAlerts":{"info":0,"warning":1,"critical":0,"fatal":0},
     *  "components":{"kafka":{"status":"healthy","detail":"reachable","durationMillis":1.25}}}
     * }</pre>
     */
    public String toJson() {
        JsonWriter json = new JsonWriter().beginObject()
                .name("status").value(status.label())
                .name("httpStatus").value(httpStatus())
                .name("timestamp").timestamp(timestampMillis)
                .name("firingAlerts").beginObject();
        firingAlerts.forEach((severity, count) -> json.name(severity.label()).value(count));
        json.endObject().name("components").beginObject();
        for (ComponentHealth component : components) {
            json.name(component.name()).beginObject()
                    .name("status").value(component.status().label())
                    .name("detail").value(component.detail())
                    .name("durationMillis").value(component.duration().toNanos() / 1e6)
                    .endObject();
        }
        return json.endObject().endObject().toString();
    }

    @Override
    public String toString() {
        return "HealthReport" + toJson();
    }
}
