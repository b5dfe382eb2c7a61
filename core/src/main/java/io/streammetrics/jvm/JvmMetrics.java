package io.streammetrics.jvm;

import io.streammetrics.MetricsEngine;

import java.util.Objects;

/**
 * Process and JVM metrics as callback gauges and counters, sampled when a snapshot is taken, named as Prometheus
 * client_java's {@code prometheus-metrics-instrumentation-jvm} names them where it has the metric (and as Micrometer
 * does for the CPU usage ratios it lacks). Each group is on by default and can be switched off:
 *
 * <pre>{@code
 * JvmMetrics.builder().threads(false).register(engine);
 * }</pre>
 *
 * <ul>
 *   <li>{@link Builder#cpu cpu}: {@code process_cpu_seconds_total}, {@code process_cpu_usage}, {@code system_cpu_usage}
 *       (0 to 1), {@code jvm_available_processors}, {@code system_load_average_1m};</li>
 *   <li>{@link Builder#uptime uptime}: {@code process_start_time_seconds}, {@code process_uptime_seconds};</li>
 *   <li>{@link Builder#memory memory}: {@code jvm_memory_{used,committed,max,init}_bytes{area}},
 *       {@code jvm_memory_pool_{used,committed,max,init}_bytes{pool}},
 *       {@code jvm_buffer_pool_{used_bytes,capacity_bytes,used_buffers}{pool}}, and on Linux
 *       {@code process_resident_memory_bytes}, {@code process_virtual_memory_bytes};</li>
 *   <li>{@link Builder#gc gc}: {@code jvm_gc_collection_seconds_total{gc}}, {@code jvm_gc_collections_total{gc}}
 *       (client_java's summary {@code jvm_gc_collection_seconds}: its {@code _sum} and {@code _count} as two counters,
 *       since the engine has no callback summary);</li>
 *   <li>{@link Builder#threads threads}: {@code jvm_threads_current}, {@code jvm_threads_daemon},
 *       {@code jvm_threads_peak}, {@code jvm_threads_started_total}, {@code jvm_threads_state{state}};</li>
 *   <li>{@link Builder#classes classes}: {@code jvm_classes_currently_loaded}, {@code jvm_classes_loaded_total},
 *       {@code jvm_classes_unloaded_total};</li>
 *   <li>{@link Builder#fileDescriptors fileDescriptors}: {@code process_open_fds}, {@code process_max_fds} (Unix).</li>
 * </ul>
 *
 * Readings a JVM does not offer are left out rather than exported as NaN. Not here: {@code jvm_runtime_info} (the
 * engine has no info type, and {@code _info} is reserved for it) and deadlock counts (a safepoint per snapshot). The
 * ring's fill level is an engine self-metric ({@code streammetrics_ring_fill_ratio}), always on.
 *
 * <p>{@code MetricsEngine.builder()} registers all of them unless told {@code jvmMetrics(false)}; register them
 * yourself to choose groups. Register them once per engine, and in one engine per process if several are scraped
 * together.
 */
public final class JvmMetrics {
    private JvmMetrics() {
    }

    /** A builder with every group switched on. */
    public static Builder builder() {
        return new Builder();
    }

    /** Chooses the groups of {@link JvmMetrics} and registers them. */
    public static final class Builder {
        private boolean cpu = true;
        private boolean uptime = true;
        private boolean memory = true;
        private boolean gc = true;
        private boolean threads = true;
        private boolean classes = true;
        private boolean fileDescriptors = true;

        private Builder() {
        }

        /** Process and system CPU. */
        public Builder cpu(boolean enabled) {
            this.cpu = enabled;
            return this;
        }

        /** Process start time and uptime. */
        public Builder uptime(boolean enabled) {
            this.uptime = enabled;
            return this;
        }

        /** Heap, non-heap, memory pools, buffer pools and the process's memory size. */
        public Builder memory(boolean enabled) {
            this.memory = enabled;
            return this;
        }

        /** Garbage collection time and counts per collector. */
        public Builder gc(boolean enabled) {
            this.gc = enabled;
            return this;
        }

        /** Thread counts, in total and by state. */
        public Builder threads(boolean enabled) {
            this.threads = enabled;
            return this;
        }

        /** Loaded and unloaded classes. */
        public Builder classes(boolean enabled) {
            this.classes = enabled;
            return this;
        }

        /** Open and maximum file descriptors. */
        public Builder fileDescriptors(boolean enabled) {
            this.fileDescriptors = enabled;
            return this;
        }

        /**
         * Registers the chosen groups with {@code engine}; registering again is harmless (same families, the
         * suppliers replaced).
         *
         * @throws IllegalStateException when the engine's store has no room for them
         */
        public void register(MetricsEngine engine) {
            Objects.requireNonNull(engine, "engine");
            if (cpu) {
                CpuMetrics.register(engine);
            }
            if (uptime) {
                UptimeMetrics.register(engine);
            }
            if (memory) {
                MemoryMetrics.register(engine);
            }
            if (gc) {
                GcMetrics.register(engine);
            }
            if (threads) {
                ThreadMetrics.register(engine);
            }
            if (classes) {
                ClassLoadingMetrics.register(engine);
            }
            if (fileDescriptors) {
                FileDescriptorMetrics.register(engine);
            }
        }
    }
}
