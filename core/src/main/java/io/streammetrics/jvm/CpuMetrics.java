package io.streammetrics.jvm;

import io.streammetrics.common.Unit;
import io.streammetrics.metric.Meter;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * CPU of the process and the machine: {@code process_cpu_seconds_total} (client_java's name),
 * {@code process_cpu_usage} and {@code system_cpu_usage} (0 to 1, Micrometer's names: what a "CPU over 80 %" rule
 * reads), {@code jvm_available_processors} (not Micrometer's {@code system_cpu_count}: promtool rejects a gauge
 * ending in {@code _count}) and {@code system_load_average_1m}. The HotSpot-specific readings come from
 * {@code com.sun.management.OperatingSystemMXBean} and are left out on a JVM without it; the two usage ratios are
 * read at most once a second.
 */
final class CpuMetrics {
    private CpuMetrics() {
    }

    static void register(Meter engine, JvmReadings readings) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        Callbacks.gauge(engine, readings, "jvm_available_processors", "Processors available to the JVM.", null,
                os::getAvailableProcessors);
        if (os.getSystemLoadAverage() >= 0) {
            Callbacks.gauge(engine, readings, "system_load_average_1m",
                    "Run-queue length plus running processes, averaged over the last minute.", null,
                    () -> Callbacks.availableOrNaN(os.getSystemLoadAverage()));
        }
        if (HotSpotBeans.hasOperatingSystemBean(os)) {
            registerHotSpot(engine, readings, (com.sun.management.OperatingSystemMXBean) os);
        }
    }

    private static void registerHotSpot(Meter engine, JvmReadings readings,
                                        com.sun.management.OperatingSystemMXBean os) {
        if (os.getProcessCpuTime() >= 0) {
            Callbacks.counter(engine, readings, "process_cpu_seconds_total",
                    "Total user and system CPU time spent in seconds.", Unit.SECONDS, () -> Callbacks.availableOrNaN(os.getProcessCpuTime()) / 1e9);
        }
        Callbacks.gauge(engine, readings, "process_cpu_usage",
                "Recent CPU usage of the JVM process, 0 to 1 of all processors.", null, throttled(() -> Callbacks.availableOrNaN(os.getProcessCpuLoad())));
        Callbacks.gauge(engine, readings, "system_cpu_usage",
                "Recent CPU usage of the whole machine (or container), 0 to 1.", null, throttled(() -> Callbacks.availableOrNaN(os.getCpuLoad())));
    }

    /** The load readings are read at most once a second (see {@link ThrottledReading} for why). */
    private static DoubleSupplier throttled(DoubleSupplier reading) {
        ThrottledReading<Double> load = ThrottledReading.every(TimeUnit.SECONDS.toNanos(1), reading::getAsDouble);
        return load::get;
    }
}
