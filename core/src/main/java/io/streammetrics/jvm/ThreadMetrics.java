package io.streammetrics.jvm;

import io.streammetrics.metric.GaugeFamily;
import io.streammetrics.metric.Meter;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Threads, named as client_java's {@code JvmThreadsMetrics}: current, daemon, peak, started, and the count per
 * {@link Thread.State} (plus {@code UNKNOWN} for threads that ended while being counted). Deadlock detection
 * ({@code jvm_threads_deadlocked}) is left out: it stops the JVM at a safepoint, and snapshots are taken far more
 * often than scrapes.
 */
final class ThreadMetrics {
    private ThreadMetrics() {
    }

    static void register(Meter engine, JvmReadings readings) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Callbacks.gauge(engine, readings, "jvm_threads_current", "Current thread count of a JVM", null,
                threads::getThreadCount);
        Callbacks.gauge(engine, readings, "jvm_threads_daemon", "Daemon thread count of a JVM", null,
                threads::getDaemonThreadCount);
        Callbacks.gauge(engine, readings, "jvm_threads_peak", "Peak thread count of a JVM", null,
                threads::getPeakThreadCount);
        Callbacks.counter(engine, readings, "jvm_threads_started_total", "Started thread count of a JVM", null,
                threads::getTotalStartedThreadCount);
        GaugeFamily states = Callbacks.gaugeFamily(engine, "jvm_threads_state", "Current count of threads by state",
                null, "state");
        ThreadStateCounts counts = new ThreadStateCounts(threads);
        for (Thread.State state : Thread.State.values()) {
            states.callback(readings.cached(() -> counts.count(state.ordinal())), state.name());
        }
        states.callback(readings.cached(() -> counts.count(ThreadStateCounts.UNKNOWN)), "UNKNOWN");
    }
}
