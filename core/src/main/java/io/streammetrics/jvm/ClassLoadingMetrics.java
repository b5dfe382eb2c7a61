package io.streammetrics.jvm;

import io.streammetrics.metric.Meter;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;

/** Class loading, named as client_java's {@code JvmClassLoadingMetrics}. */
final class ClassLoadingMetrics {
    private ClassLoadingMetrics() {
    }

    static void register(Meter engine, JvmReadings readings) {
        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        Callbacks.gauge(engine, readings, "jvm_classes_currently_loaded",
                "The number of classes that are currently loaded in the JVM", null, classes::getLoadedClassCount);
        Callbacks.counter(engine, readings, "jvm_classes_loaded_total",
                "The total number of classes that have been loaded since the JVM has started execution", null,
                classes::getTotalLoadedClassCount);
        Callbacks.counter(engine, readings, "jvm_classes_unloaded_total",
                "The total number of classes that have been unloaded since the JVM has started execution", null,
                classes::getUnloadedClassCount);
    }
}
