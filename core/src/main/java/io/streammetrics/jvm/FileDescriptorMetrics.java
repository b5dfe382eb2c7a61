package io.streammetrics.jvm;

import io.streammetrics.metric.Meter;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * {@code process_open_fds} and {@code process_max_fds}, as client_java names them; only on a Unix JVM with
 * {@code com.sun.management.UnixOperatingSystemMXBean}.
 */
final class FileDescriptorMetrics {
    private FileDescriptorMetrics() {
    }

    static void register(Meter engine, JvmReadings readings) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (!HotSpotBeans.hasUnixOperatingSystemBean(os)) {
            return;
        }
        com.sun.management.UnixOperatingSystemMXBean unix = (com.sun.management.UnixOperatingSystemMXBean) os;
        Callbacks.gauge(engine, readings, "process_open_fds", "Number of open file descriptors.", null,
                () -> Callbacks.availableOrNaN(unix.getOpenFileDescriptorCount()));
        Callbacks.gauge(engine, readings, "process_max_fds", "Maximum number of open file descriptors.", null,
                () -> Callbacks.availableOrNaN(unix.getMaxFileDescriptorCount()));
    }
}
