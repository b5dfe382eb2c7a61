package io.streammetrics.dashboard;

import io.streammetrics.alert.Alert;
import io.streammetrics.alert.AlertJson;
import io.streammetrics.alert.AlertState;
import io.streammetrics.alert.rule.Severity;
import io.streammetrics.alert.expr.Sample;
import io.streammetrics.health.HealthReport;
import io.streammetrics.json.JsonWriter;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an operator's dashboard shows at one moment: per-stage throughput, latency quantiles and error ratio over the
 * window, the active alerts and their counts by severity, the health status, the process's vital signs and the
 * engine's own counters. Immutable.
 *
 * @param timestampMillis when it was computed, epoch millis
 * @param windowMillis    the window rates and quantiles are computed over
 * @param stages          one entry per (pipeline, stage), sorted
 * @param activeAlerts    pending and firing alerts
 * @param health          the health report, or null when the dashboard has no health monitor
 * @param process         CPU, heap, threads, uptime ({@code NaN} when the JVM metrics are off)
 * @param engine          the engine's self-metrics: events published per second, dropped, rejected, clamped, series,
 *                        ring fill ratio, aggregator lag
 * @param watched         the samples of each {@link Dashboard#watch watched} expression, by expression (not in
 *                        {@link #toJson()}: they are whoever watches them's)
 */
public record DashboardData(long timestampMillis, long windowMillis, List<StageSummary> stages,
                            List<Alert> activeAlerts, HealthReport health, Map<String, Double> process,
                            Map<String, Double> engine, Map<String, List<Sample>> watched) {
    /** Copies the collections. */
    public DashboardData {
        stages = List.copyOf(stages);
        activeAlerts = List.copyOf(activeAlerts);
        process = Map.copyOf(process);
        engine = Map.copyOf(engine);
        watched = Collections.unmodifiableMap(new LinkedHashMap<>(watched));     // in the order they were watched
    }

    /** Firing alerts by severity; every severity is present. */
    public Map<Severity, Integer> firingBySeverity() {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity severity : Severity.values()) {
            counts.put(severity, 0);
        }
        activeAlerts.stream().filter(alert -> alert.state() == AlertState.FIRING)
                .forEach(alert -> counts.merge(alert.severity(), 1, Integer::sum));
        return counts;
    }

    /** Alerts whose condition holds but whose {@code for} has not elapsed. */
    public long pendingCount() {
        return activeAlerts.stream().filter(alert -> alert.state() == AlertState.PENDING).count();
    }

    /**
     * The data as JSON (numbers that cannot be computed yet are {@code null}):
     * <pre>{@code
     * {"timestamp":"...","windowSeconds":60,
     *  "stages":[{"pipeline":"orders","stage":"parse","recordsPerSecond":150000,"bytesPerSecond":...,
     *             "errorsPerSecond":150,"errorRatio":0.001,"latencySeconds":{"p50":0.0004,"p99":0.002,"p999":0.004},
     *             "endToEndLatencySeconds":{"p50":0.01,"p99":0.05,"p999":0.08},"queueSize":12}],
     *  "alerts":{"firing":{"info":0,"warning":1,"critical":0,"fatal":0},"pending":0,"active":[{...}]},
     *  "health":{"status":"degraded","httpStatus":200},
     *  "process":{"cpuUsage":0.4,"heapUsedBytes":...},"engine":{"eventsDropped":0,...}}
     * }</pre>
     */
    public String toJson() {
        JsonWriter json = new JsonWriter().beginObject()
                .name("timestamp").timestamp(timestampMillis)
                .name("windowSeconds").value(windowMillis / 1e3)
                .name("stages").beginArray();
        for (StageSummary stage : stages) {
            json.beginObject().name("pipeline").value(stage.pipeline()).name("stage").value(stage.stage());
            number(json, "recordsPerSecond", stage.recordsPerSecond());
            number(json, "bytesPerSecond", stage.bytesPerSecond());
            number(json, "errorsPerSecond", stage.errorsPerSecond());
            number(json, "errorRatio", stage.errorRatio());
            json.name("latencySeconds").beginObject();
            number(json, "p50", stage.p50Seconds());
            number(json, "p99", stage.p99Seconds());
            number(json, "p999", stage.p999Seconds());
            json.endObject().name("endToEndLatencySeconds").beginObject();
            number(json, "p50", stage.endToEndP50Seconds());
            number(json, "p99", stage.endToEndP99Seconds());
            number(json, "p999", stage.endToEndP999Seconds());
            json.endObject();
            number(json, "queueSize", stage.queueSize());
            json.endObject();
        }
        json.endArray().name("alerts").beginObject().name("firing").beginObject();
        firingBySeverity().forEach((severity, count) -> json.name(severity.label()).value(count));
        json.endObject().name("pending").value(pendingCount()).name("active").beginArray();
        for (Alert alert : activeAlerts) {
            AlertJson.members(json.beginObject(), alert).endObject();
        }
        json.endArray().endObject().name("health");
        if (health == null) {
            json.value((String) null);
        } else {
            json.beginObject().name("status").value(health.status().label())
                    .name("httpStatus").value(health.httpStatus()).endObject();
        }
        numbers(json.name("process"), process);
        numbers(json.name("engine"), engine);
        return json.endObject().toString();
    }

    private static void numbers(JsonWriter json, Map<String, Double> values) {
        json.beginObject();
        new TreeMap<>(values).forEach((name, value) -> number(json, name, value));
        json.endObject();
    }

    private static void number(JsonWriter json, String name, double value) {
        json.name(name);
        if (Double.isNaN(value)) {
            json.value((String) null);
        } else {
            json.value(value);
        }
    }
}
