package io.streammetrics.jvm;

import io.streammetrics.common.Unit;
import io.streammetrics.metric.GaugeFamily;
import io.streammetrics.metric.Meter;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Memory, named as client_java's {@code JvmMemoryMetrics}, {@code JvmBufferPoolMetrics} and {@code ProcessMetrics}:
 * heap and non-heap ({@code jvm_memory_*_bytes{area}}), each pool ({@code jvm_memory_pool_*_bytes{pool}}), the buffer
 * pools (the engine's own store lives in direct memory) and, on Linux, the process's resident and virtual size. A max
 * the JVM does not define is exported as -1, as client_java does.
 */
final class MemoryMetrics {
    private MemoryMetrics() {
    }

    static void register(Meter engine, JvmReadings readings) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Map<String, Supplier<MemoryUsage>> areas = new LinkedHashMap<>();
        areas.put("heap", memory::getHeapMemoryUsage);
        areas.put("nonheap", memory::getNonHeapMemoryUsage);
        usage(engine, readings, "jvm_memory_%s_bytes", "%s bytes of a given JVM memory area.", "area", areas);
        Map<String, Supplier<MemoryUsage>> pools = new LinkedHashMap<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pools.put(pool.getName(), pool::getUsage);
        }
        usage(engine, readings, "jvm_memory_pool_%s_bytes", "%s bytes of a given JVM memory pool.", "pool",
                pools);
        bufferPools(engine, readings);
        ProcStatm statm = ProcStatm.SELF;
        if (statm.isReadable()) {
            Callbacks.gauge(engine, readings, "process_resident_memory_bytes", "Resident memory size in bytes.",
                    Unit.BYTES,
                    statm::residentBytes);
            Callbacks.gauge(engine, readings, "process_virtual_memory_bytes", "Virtual memory size in bytes.",
                    Unit.BYTES,
                    statm::virtualBytes);
        }
    }

    /** The four {@link MemoryUsage} readings of each source (by label value), one family per reading. */
    private static void usage(Meter engine, JvmReadings cache, String nameFormat, String helpFormat,
                              String label, Map<String, Supplier<MemoryUsage>> readings) {
        // One MemoryUsage per source and refresh (or snapshot) feeds all four families.
        Map<String, Supplier<MemoryUsage>> sources = new LinkedHashMap<>();
        readings.forEach((labelValue, reading) ->
                sources.put(labelValue, ThrottledReading.every(ThrottledReading.ONE_SNAPSHOT_NANOS, reading)));
        reading(engine, cache, nameFormat, helpFormat, "used", "Used", label, sources, MemoryUsage::getUsed);
        reading(engine, cache, nameFormat, helpFormat, "committed", "Committed", label, sources,
                MemoryUsage::getCommitted);
        reading(engine, cache, nameFormat, helpFormat, "max", "Max", label, sources, MemoryUsage::getMax);
        reading(engine, cache, nameFormat, helpFormat, "init", "Initial", label, sources, MemoryUsage::getInit);
    }

    private static void reading(Meter engine, JvmReadings cache, String nameFormat, String helpFormat,
                                String reading, String readingHelp, String label,
                                Map<String, Supplier<MemoryUsage>> sources, ToLongFunction<MemoryUsage> value) {
        GaugeFamily family = Callbacks.gaugeFamily(engine, String.format(nameFormat, reading),
                String.format(helpFormat, readingHelp), Unit.BYTES, label);
        sources.forEach((labelValue, usage) -> family.callback(cache.cached(() -> {
            MemoryUsage current = usage.get();
            // A pool the JVM has retired reports no usage.
            return current == null ? Double.NaN : value.applyAsLong(current);
        }), labelValue));
    }

    private static void bufferPools(Meter engine, JvmReadings readings) {
        GaugeFamily used = Callbacks.gaugeFamily(engine, "jvm_buffer_pool_used_bytes",
                "Used bytes of a given JVM buffer pool.", Unit.BYTES, "pool");
        GaugeFamily capacity = Callbacks.gaugeFamily(engine, "jvm_buffer_pool_capacity_bytes",
                "Bytes capacity of a given JVM buffer pool.", Unit.BYTES, "pool");
        GaugeFamily buffers = Callbacks.gaugeFamily(engine, "jvm_buffer_pool_used_buffers",
                "Used buffers of a given JVM buffer pool.", null, "pool");
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            used.callback(readings.cached(() -> Callbacks.availableOrNaN(pool.getMemoryUsed())), pool.getName());
            capacity.callback(readings.cached(() -> Callbacks.availableOrNaN(pool.getTotalCapacity())),
                    pool.getName());
            buffers.callback(readings.cached(() -> Callbacks.availableOrNaN(pool.getCount())), pool.getName());
        }
    }
}
