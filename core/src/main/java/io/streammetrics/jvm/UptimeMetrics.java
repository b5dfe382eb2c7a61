package io.streammetrics.jvm;

import io.streammetrics.common.Unit;
import io.streammetrics.metric.Meter;

import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;

/** {@code process_start_time_seconds} (client_java's name) and {@code process_uptime_seconds} (Micrometer's). */
final class UptimeMetrics {
    private UptimeMetrics() {
    }

    static void register(Meter engine, JvmReadings readings) {
        RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
        double startSeconds = runtime.getStartTime() / 1e3;
        Callbacks.gauge(engine, readings, "process_start_time_seconds",
                "Start time of the process since unix epoch in seconds.", Unit.SECONDS, () -> startSeconds);
        Callbacks.gauge(engine, readings, "process_uptime_seconds", "Time since the JVM started, in seconds.",
                Unit.SECONDS, () -> runtime.getUptime() / 1e3);
    }
}
