package io.streammetrics.jvm;

import java.lang.management.OperatingSystemMXBean;

/**
 * Guards for the {@code com.sun.management} extensions: a JVM without the {@code jdk.management} module has neither
 * the interfaces nor the readings, and naming a missing class fails at link time, not at an {@code instanceof}.
 */
final class HotSpotBeans {
    private HotSpotBeans() {
    }

    static boolean hasOperatingSystemBean(OperatingSystemMXBean os) {
        try {
            return os instanceof com.sun.management.OperatingSystemMXBean;
        } catch (LinkageError e) {
            return false;
        }
    }

    static boolean hasUnixOperatingSystemBean(OperatingSystemMXBean os) {
        try {
            return os instanceof com.sun.management.UnixOperatingSystemMXBean;
        } catch (LinkageError e) {
            return false;
        }
    }
}
