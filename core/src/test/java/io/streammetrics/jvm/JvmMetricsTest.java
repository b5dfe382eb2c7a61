package io.streammetrics.jvm;

import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.common.MetricType;
import io.streammetrics.common.Unit;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.FamilySnapshot;
import io.streammetrics.snapshot.GaugePoint;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.snapshot.SeriesPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import static io.streammetrics.EngineTestSupport.counter;
import static io.streammetrics.EngineTestSupport.family;
import static io.streammetrics.EngineTestSupport.gauge;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JVM collectors give plausible values in the right units, and each group can be switched off. */
class JvmMetricsTest {
    /** Each switch, with the families it registers on every JDK this build runs on (registered names). */
    enum Group {
        CPU(b -> b.cpu(false), "process_cpu_seconds", "process_cpu_usage", "system_cpu_usage", "jvm_available_processors"),
        UPTIME(b -> b.uptime(false), "process_start_time_seconds", "process_uptime_seconds"),
        MEMORY(b -> b.memory(false), "jvm_memory_used_bytes", "jvm_memory_committed_bytes", "jvm_memory_max_bytes",
                "jvm_memory_init_bytes", "jvm_memory_pool_used_bytes", "jvm_buffer_pool_used_bytes"),
        GC(b -> b.gc(false), "jvm_gc_collection_seconds", "jvm_gc_collections"),
        THREADS(b -> b.threads(false), "jvm_threads_current", "jvm_threads_daemon", "jvm_threads_peak",
                "jvm_threads_started", "jvm_threads_state"),
        CLASSES(b -> b.classes(false), "jvm_classes_currently_loaded", "jvm_classes_loaded", "jvm_classes_unloaded"),
        FILE_DESCRIPTORS(b -> b.fileDescriptors(false), "process_open_fds", "process_max_fds");

        final UnaryOperator<JvmMetrics.Builder> off;
        final List<String> families;

        Group(UnaryOperator<JvmMetrics.Builder> off, String... families) {
            this.off = off;
            this.families = List.of(families);
        }
    }

    private static MetricsEngine engine(boolean jvmMetrics) {
        return MetricsEngine.builder().backPressure(BackPressure.BLOCK).maxHistograms(4).jvmMetrics(jvmMetrics)
                .build().start();
    }

    private static double total(FamilySnapshot family) {
        double sum = 0;
        for (SeriesPoint point : family.points()) {
            sum += point instanceof CounterPoint ? ((CounterPoint) point).value() : ((GaugePoint) point).value();
        }
        return sum;
    }

    /** Asserts which groups' families the snapshot has: those {@code present} accepts, and no others. */
    private static void assertGroups(MetricsSnapshot snapshot, Predicate<Group> present) {
        for (Group group : Group.values()) {
            for (String name : group.families) {
                assertEquals(present.test(group), snapshot.family(name) != null, group + " family " + name);
            }
        }
    }

    @Test
    void theEngineRegistersEveryGroupByDefault() {
        try (MetricsEngine engine = engine(true)) {
            assertGroups(engine.snapshot(), group -> true);
        }
    }

    @Test
    void jvmMetricsFalseRegistersNone() {
        try (MetricsEngine engine = engine(false)) {
            assertGroups(engine.snapshot(), group -> false);
        }
    }

    @ParameterizedTest
    @EnumSource(Group.class)
    void switchingAGroupOffLeavesOutItsFamiliesOnly(Group off) {
        try (MetricsEngine engine = engine(false)) {
            off.off.apply(JvmMetrics.builder()).register(engine);
            assertGroups(engine.snapshot(), group -> group != off);
        }
    }

    @Test
    void cpuTimeIsAMonotoneCounterInSecondsAndUsageIsARatio() throws InterruptedException {
        try (MetricsEngine engine = engine(true)) {
            FamilySnapshot cpu = family(engine.snapshot(), "process_cpu_seconds");
            assertEquals(MetricType.COUNTER, cpu.type());
            assertEquals(Unit.SECONDS, cpu.unit());
            double first = counter(engine.snapshot(), "process_cpu_seconds").value();
            assertTrue(first > 0, "CPU seconds " + first);
            long deadline = System.nanoTime() + 200_000_000L;
            long spin = 0;
            while (System.nanoTime() < deadline) {
                spin++;
            }
            // Read in the background at most once a second: wait for the next refresh.
            MetricsSnapshot later = engine.snapshot();
            double second = counter(later, "process_cpu_seconds").value();
            long refreshed = System.nanoTime() + 20_000_000_000L;
            while (second == first && System.nanoTime() < refreshed) {
                Thread.sleep(10);
                later = engine.snapshot();
                second = counter(later, "process_cpu_seconds").value();
            }
            assertTrue(second > first, "200 ms of spinning (" + spin + ") moved CPU seconds from " + first + " to " + second);
            assertTrue(second < first + 60, "CPU seconds jumped from " + first + " to " + second + ": not in seconds");
            for (String ratio : List.of("process_cpu_usage", "system_cpu_usage")) {
                double value = gauge(later, ratio).value();
                assertTrue(value >= 0 && value <= 1, ratio + " = " + value);
            }
            assertEquals(Runtime.getRuntime().availableProcessors(), gauge(later, "jvm_available_processors").value());
        }
    }

    @Test
    void memoryIsInBytes() {
        try (MetricsEngine engine = engine(true)) {
            MetricsSnapshot snapshot = engine.snapshot();
            double heapUsed = gauge(snapshot, "jvm_memory_used_bytes", "heap").value();
            double heapCommitted = gauge(snapshot, "jvm_memory_committed_bytes", "heap").value();
            assertTrue(heapUsed > 1024 * 1024, "heap used " + heapUsed + " bytes");
            assertTrue(heapCommitted >= heapUsed, "committed " + heapCommitted + " < used " + heapUsed);
            assertEquals(Runtime.getRuntime().maxMemory(), gauge(snapshot, "jvm_memory_max_bytes", "heap").value(),
                    Runtime.getRuntime().maxMemory() * 0.1, "heap max");
            assertTrue(gauge(snapshot, "jvm_memory_used_bytes", "nonheap").value() > 0);
            assertEquals(Unit.BYTES, family(snapshot, "jvm_memory_used_bytes").unit());
            FamilySnapshot pools = family(snapshot, "jvm_memory_pool_used_bytes");
            assertEquals(ManagementFactory.getMemoryPoolMXBeans().size(), pools.points().size());
            assertTrue(total(pools) > 0, "memory pools in use");
            assertNotNull(family(snapshot, "jvm_buffer_pool_used_bytes").point("direct"), "direct buffer pool");
            if (ProcStatm.SELF.isReadable()) {
                double rss = gauge(snapshot, "process_resident_memory_bytes").value();
                assertTrue(rss > heapUsed / 2 && rss < 1L << 40, "resident " + rss + " bytes");
                assertTrue(gauge(snapshot, "process_virtual_memory_bytes").value() >= rss);
            }
        }
    }

    @Test
    void gcTimeAndCountsPerCollector() {
        try (MetricsEngine engine = engine(true)) {
            System.gc();
            MetricsSnapshot snapshot = engine.snapshot();
            FamilySnapshot collections = family(snapshot, "jvm_gc_collections");
            assertEquals(ManagementFactory.getGarbageCollectorMXBeans().size(), collections.points().size());
            assertEquals(List.of("gc"), collections.labelNames());
            assertTrue(total(collections) >= 1, "System.gc() ran a collection");
            FamilySnapshot seconds = family(snapshot, "jvm_gc_collection_seconds");
            assertEquals(Unit.SECONDS, seconds.unit());
            double gcSeconds = total(seconds);
            double uptime = gauge(snapshot, "process_uptime_seconds").value();
            assertTrue(gcSeconds >= 0 && gcSeconds < uptime, "GC seconds " + gcSeconds + ", uptime " + uptime);
        }
    }

    @Test
    void threadCountsAndStates() {
        try (MetricsEngine engine = engine(true)) {
            MetricsSnapshot snapshot = engine.snapshot();
            double current = gauge(snapshot, "jvm_threads_current").value();
            assertTrue(current >= 2, "this thread and the aggregator: " + current);
            assertTrue(gauge(snapshot, "jvm_threads_daemon").value() >= 1, "the aggregator is a daemon");
            assertTrue(gauge(snapshot, "jvm_threads_peak").value() >= current);
            assertTrue(counter(snapshot, "jvm_threads_started").value() >= current);
            FamilySnapshot states = family(snapshot, "jvm_threads_state");
            assertEquals(Thread.State.values().length + 1, states.points().size(), "every state plus UNKNOWN");
            assertTrue(gauge(snapshot, "jvm_threads_state", "RUNNABLE").value() >= 1, "this thread runs");
            double byState = total(states);
            assertTrue(Math.abs(byState - current) <= 5, byState + " threads by state, " + current + " in total");
        }
    }

    @Test
    void classesUptimeAndFileDescriptors() {
        try (MetricsEngine engine = engine(true)) {
            MetricsSnapshot snapshot = engine.snapshot();
            double loaded = gauge(snapshot, "jvm_classes_currently_loaded").value();
            assertTrue(loaded > 100, loaded + " classes");
            assertTrue(counter(snapshot, "jvm_classes_loaded").value() >= loaded);
            double start = gauge(snapshot, "process_start_time_seconds").value();
            assertEquals(ManagementFactory.getRuntimeMXBean().getStartTime() / 1e3, start, 1e-3);
            assertTrue(gauge(snapshot, "process_uptime_seconds").value() > 0);
            if (snapshot.family("process_open_fds") != null) {
                double open = gauge(snapshot, "process_open_fds").value();
                assertTrue(open > 0 && open <= gauge(snapshot, "process_max_fds").value(), open + " open fds");
            }
        }
    }

    @Test
    void aStoreTooSmallForThemStillBuilds() {
        MetricsEngine small = assertDoesNotThrow(() -> MetricsEngine.builder().maxFamilies(24).build());
        try (small) {
            small.snapshot();
        }
    }

    @Test
    void registeringTwiceKeepsOneFamilyPerName() {
        try (MetricsEngine engine = engine(true)) {
            JvmMetrics.builder().register(engine);
            MetricsSnapshot snapshot = engine.snapshot();
            assertEquals(2, family(snapshot, "jvm_memory_used_bytes").points().size());
            Map<String, Long> names = new java.util.HashMap<>();
            for (FamilySnapshot family : snapshot.families()) {
                names.merge(family.name(), 1L, Long::sum);
            }
            names.forEach((name, count) -> assertEquals(1L, count, name));
        }
    }
}
