package io.streammetrics.jvm;

import io.streammetrics.metric.Meter;

import java.time.Duration;
import java.util.Objects;

/**
 * Process and JVM metrics as callback gauges and counters, named as Prometheus client_java's
 * {@code prometheus-metrics-instrumentation-jvm} names them where it has the metric (and as Micrometer does for the
 * CPU usage ratios it lacks). Each group is on by default and can be switched off:
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
 * <p><b>Refresh.</b> The readings (JMX memory pools, thread listings, {@code /proc} files: tens to hundreds of
 * microseconds each) are taken by a background thread ({@code streammetrics-jvm-readings}, one per process) at most
 * once per {@link Builder#refreshInterval refresh interval} (default 1 second), all of a registration in one pass,
 * and a snapshot samples the values of the last pass: a scrape, an evaluation or a {@code snapshot()} call sees each
 * JVM and process value as it was at most one interval before (plus the time the pass takes) and pays nothing for
 * reading it. The first pass runs on registration; refreshing stops when the engine is closed. An interval of 0
 * reads every value on every snapshot instead.
 *
 * <p>{@code MetricsEngine.builder()} registers all of them unless told {@code jvmMetrics(false)}; register them
 * yourself to choose groups. Register them once per engine, and in one engine per process if several are scraped
 * together.
 */
public final class JvmMetrics {
    /** The default of {@link Builder#refreshInterval}. */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(1);
    /** The shortest positive {@link Builder#refreshInterval}. */
    public static final Duration MIN_REFRESH_INTERVAL = Duration.ofMillis(10);

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
        private Duration refreshInterval = DEFAULT_REFRESH_INTERVAL;

        private Builder() {
        }

        /**
         * How often the background thread refreshes the readings that snapshots sample (default 1 second): the
         * oldest a reading in a snapshot can be. {@link Duration#ZERO} reads every value on every snapshot instead.
         *
         * @throws IllegalArgumentException if negative, or positive and under 10 ms
         */
        public Builder refreshInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || (!interval.isZero() && interval.compareTo(MIN_REFRESH_INTERVAL) < 0)) {
                throw new IllegalArgumentException("JVM metrics refresh interval must be 0 or at least "
                        + MIN_REFRESH_INTERVAL.toMillis() + " ms, got " + interval);
            }
            this.refreshInterval = interval;
            return this;
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
         * Registers the chosen groups with {@code engine}, takes their first readings and has them refreshed until
         * the engine is closed; registering again is harmless (same families, the suppliers replaced).
         *
         * @throws IllegalStateException when the engine's store has no room for them (the groups registered before
         *         that are refreshed all the same)
         */
        public void register(Meter engine) {
            Objects.requireNonNull(engine, "engine");
            JvmReadings readings = new JvmReadings(refreshInterval.toNanos());
            try {
                if (cpu) {
                    CpuMetrics.register(engine, readings);
                }
                if (uptime) {
                    UptimeMetrics.register(engine, readings);
                }
                if (memory) {
                    MemoryMetrics.register(engine, readings);
                }
                if (gc) {
                    GcMetrics.register(engine, readings);
                }
                if (threads) {
                    ThreadMetrics.register(engine, readings);
                }
                if (classes) {
                    ClassLoadingMetrics.register(engine, readings);
                }
                if (fileDescriptors) {
                    FileDescriptorMetrics.register(engine, readings);
                }
            } finally {
                readings.start(engine);
            }
        }
    }
}
