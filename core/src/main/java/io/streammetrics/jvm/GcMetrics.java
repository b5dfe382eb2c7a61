package io.streammetrics.jvm;

import io.streammetrics.common.Unit;
import io.streammetrics.metric.CounterFamily;
import io.streammetrics.metric.Meter;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * Garbage collection per collector. client_java exports {@code jvm_gc_collection_seconds{gc}} as a summary with only
 * {@code _count} and {@code _sum}; the engine has no callback summary, so the same two totals are two callback
 * counters: {@code jvm_gc_collection_seconds_total{gc}} (the summary's {@code _sum}: time spent collecting) and
 * {@code jvm_gc_collections_total{gc}} (its {@code _count}). {@code rate()} of either works as it does on the
 * summary's series; a dashboard written for client_java needs the two names changed.
 */
final class GcMetrics {
    private GcMetrics() {
    }

    static void register(Meter engine, JvmReadings readings) {
        CounterFamily seconds = Callbacks.counterFamily(engine, "jvm_gc_collection_seconds_total",
                "Time spent in a given JVM garbage collector in seconds.", Unit.SECONDS, "gc");
        CounterFamily collections = Callbacks.counterFamily(engine, "jvm_gc_collections_total",
                "Collections run by a given JVM garbage collector.", null, "gc");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            // Both readings are -1 where the collector does not define them: a callback counter ignores that sample.
            seconds.callback(readings.cached(() -> gc.getCollectionTime() / 1e3), gc.getName());
            collections.callback(readings.cached(gc::getCollectionCount), gc.getName());
        }
    }
}
