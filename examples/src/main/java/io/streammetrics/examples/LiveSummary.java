package io.streammetrics.examples;

import io.streammetrics.alert.Alert;
import io.streammetrics.alert.AlertEvent;
import io.streammetrics.dashboard.DashboardData;
import io.streammetrics.dashboard.StageSummary;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * The quick-start's terminal output: one line a second from the dashboard data (records/s
 * delivered by the sink, the slowest stage's p99, the parse stage's error ratio, health and firing alerts), and one line per alert that fires or
 * resolves (delivered by an in-process listener notifier).
 *
 * <pre>
 * [ 12s] 89,980 rec/s | p99 350.2 ms (enrich) | errors 9.95 % | critical, 2 firing
 * [ 13s] FIRING   HighLatency critical: p99 processing latency of enrich is 0.3376 s
 * </pre>
 */
final class LiveSummary {
    private final Consumer<String> out;
    private final long startNanos = System.nanoTime();

    LiveSummary(Consumer<String> out) {
        this.out = out;
    }

    /** Prints the line of one refresh of the dashboard. */
    void print(DashboardData data) {
        out.accept(prefix() + line(data));
    }

    /** Prints an alert event; pending alerts and pending ones that never fired are left out to keep it short. */
    void alert(AlertEvent event) {
        Alert alert = event.alert();
        boolean neverFired = alert.firedAtMillis() == 0;
        if (event.kind() == AlertEvent.Kind.PENDING || neverFired) {
            return;
        }
        String summary = alert.annotations().getOrDefault("summary", alert.labels().toString());
        out.accept(prefix() + String.format(Locale.ROOT, "%-9s%s %s: %s", event.kind(), alert.ruleName(),
                alert.severity().label(), summary));
    }

    static String line(DashboardData data) {
        double sinkRate = Double.NaN;
        double errors = 0;
        double records = 0;
        StageSummary slowest = null;
        for (StageSummary stage : data.stages()) {
            if (stage.stage().equals("sink")) {
                sinkRate = stage.recordsPerSecond();
            }
            if (!Double.isNaN(stage.errorsPerSecond()) && !Double.isNaN(stage.recordsPerSecond())) {
                errors += stage.errorsPerSecond();
                records += stage.recordsPerSecond();
            }
            if (!Double.isNaN(stage.p99Seconds()) && (slowest == null || stage.p99Seconds() > slowest.p99Seconds())) {
                slowest = stage;
            }
        }
        // Errors over all records of all stages understates a stage's ratio; the parse stage is the one that fails.
        StageSummary parse = data.stages().stream().filter(stage -> stage.stage().equals("parse")).findFirst()
                .orElse(null);
        double errorRatio = parse != null ? parse.errorRatio() : records > 0 ? errors / records : Double.NaN;
        return number("%,.0f", sinkRate) + " rec/s"
                + " | p99 " + (slowest == null ? "-" : duration(slowest.p99Seconds()) + " (" + slowest.stage() + ")")
                + " | errors " + number("%.2f", errorRatio * 100) + " %"
                + " | " + (data.health() == null ? "" : data.health().status().label() + ", ")
                + data.firingBySeverity().values().stream().mapToInt(Integer::intValue).sum() + " firing";
    }

    /** Microseconds below a millisecond, so that normal latencies do not print as 0.00 ms. */
    private static String duration(double seconds) {
        return seconds < 1e-3 ? String.format(Locale.ROOT, "%.1f us", seconds * 1e6)
                : String.format(Locale.ROOT, "%.1f ms", seconds * 1e3);
    }

    private String prefix() {
        return String.format(Locale.ROOT, "[%3ds] ", (System.nanoTime() - startNanos) / 1_000_000_000L);
    }

    private static String number(String format, double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
    }
}
