package io.streammetrics.benchmarks;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.CounterFamily;
import io.streammetrics.metric.TimerFamily;
import io.streammetrics.store.StoreLayout;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Memory per series: the bytes of store a streammetrics counter and histogram take at the default precision (from
 * the store layout; the store is allocated off-heap at its full capacity when the engine is built), and the heap each
 * library takes per series, measured as the heap delta after GC over N series (averaged), each series with one label
 * value of its own and recorded into (50 log-normal latencies a histogram), handles kept reachable.
 *
 * <pre>java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -Xmx2g -cp benchmarks/target/benchmarks.jar \
 *     io.streammetrics.benchmarks.MemoryPerSeries [counters, default 10000] [histograms, default 1000]</pre>
 *
 * Heap deltas move by a few hundred kilobytes from GC to GC: use N large enough that this is small per series.
 */
public final class MemoryPerSeries {
    private static final int VALUES_PER_HISTOGRAM = 50;
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private MemoryPerSeries() {
    }

    /** A library with one registry (or engine), that adds series {@code i} and records into it. */
    private interface Subject extends AutoCloseable {
        /** Creates series {@code i}, records into it and returns its handle, which the caller keeps. */
        Object add(int i);

        @Override
        default void close() {
        }
    }

    /** Arguments: number of counter series (default 10,000), number of histogram series (default 1,000). */
    public static void main(String[] args) throws InterruptedException {
        int counters = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int histograms = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int capacity = counters + histograms + 1_000;
        try (MetricsEngine engine = MetricsEngine.builder().build()) {
            int countsLength = engine.histogramLayout().countsLength();
            long counterBytes = StoreLayout.SERIES_RECORD_LENGTH + StoreLayout.VALUE_SLOT_LENGTH;
            long histogramRecord = StoreLayout.HISTOGRAM_HEADER_LENGTH + 8L * countsLength;
            // A histogram has a record and a same-sized shadow (readers' consistent copy) plus an 8-byte epoch mark.
            System.out.printf("streammetrics store, %s:%n", engine.histogramLayout());
            System.out.printf("  counter   %,8d bytes (series record %d + value slot %d)%n", counterBytes,
                    StoreLayout.SERIES_RECORD_LENGTH, StoreLayout.VALUE_SLOT_LENGTH);
            System.out.printf("  histogram %,8d bytes (series record and value slot %d + record %,d + shadow %,d + 8)%n",
                    counterBytes + 2 * histogramRecord + 8, counterBytes, histogramRecord, histogramRecord);
        }
        System.out.printf("%nheap per series, after GC, averaged over %,d counters and %,d histograms:%n", counters,
                histograms);
        measure("streammetrics counter", counters, () -> {
            MetricsEngine engine = MetricsEngine.builder().maxSeries(capacity).maxHistograms(histograms + 10).build().start();
            CounterFamily family = engine.counter("mem_events").labelNames("shard").cardinalityLimit(capacity).register();
            return subject(engine, i -> {
                io.streammetrics.metric.Counter counter = family.labels("s" + i);
                counter.increment();
                return counter;
            });
        });
        measure("streammetrics timer", histograms, () -> {
            MetricsEngine engine = MetricsEngine.builder().maxSeries(capacity).maxHistograms(histograms + 10).build().start();
            TimerFamily family = engine.timer("mem_latency").labelNames("shard").cardinalityLimit(capacity).register();
            return subject(engine, i -> {
                io.streammetrics.metric.Timer timer = family.labels("s" + i);
                for (int v = 0; v < VALUES_PER_HISTOGRAM; v++) {
                    timer.record(LogNormalValues.nanosAt(i * VALUES_PER_HISTOGRAM + v));
                }
                return timer;
            });
        });
        measure("client_java counter", counters, () -> {
            io.prometheus.metrics.core.metrics.Counter family = io.prometheus.metrics.core.metrics.Counter.builder()
                    .name("mem_events").labelNames("shard").register(new PrometheusRegistry());
            return subject(null, i -> {
                var counter = family.labelValues("s" + i);
                counter.inc();
                return counter;
            });
        });
        measure("client_java classic histogram", histograms, () -> clientJavaHistogram(
                io.prometheus.metrics.core.metrics.Histogram.builder().classicOnly()));
        measure("client_java native histogram", histograms, () -> clientJavaHistogram(
                io.prometheus.metrics.core.metrics.Histogram.builder().nativeOnly()));
        measure("Micrometer counter", counters, () -> {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            return subject(registry::close, i -> {
                var counter = registry.counter("mem_events", "shard", "s" + i);
                counter.increment();
                return counter;
            });
        });
        measure("Micrometer timer, histogram", histograms, () -> micrometerTimer(false));
        measure("Micrometer timer, histogram + percentiles", histograms, () -> micrometerTimer(true));
    }

    private static Subject clientJavaHistogram(io.prometheus.metrics.core.metrics.Histogram.Builder builder) {
        io.prometheus.metrics.core.metrics.Histogram family = builder.name("mem_latency_seconds").labelNames("shard")
                .register(new PrometheusRegistry());
        return subject(null, i -> {
            var histogram = family.labelValues("s" + i);
            for (int v = 0; v < VALUES_PER_HISTOGRAM; v++) {
                histogram.observe(LogNormalValues.nanosAt(i * VALUES_PER_HISTOGRAM + v) / 1e9);
            }
            return histogram;
        });
    }

    private static Subject micrometerTimer(boolean percentiles) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        return subject(registry::close, i -> {
            var builder = io.micrometer.core.instrument.Timer.builder("mem_latency").tag("shard", "s" + i)
                    .publishPercentileHistogram();
            if (percentiles) {
                builder.publishPercentiles(0.5, 0.99, 0.999);
            }
            var timer = builder.register(registry);
            for (int v = 0; v < VALUES_PER_HISTOGRAM; v++) {
                timer.record(LogNormalValues.nanosAt(i * VALUES_PER_HISTOGRAM + v), TimeUnit.NANOSECONDS);
            }
            return timer;
        });
    }

    private static Subject subject(AutoCloseable owner, IntFunction<Object> add) {
        return new Subject() {
            @Override
            public Object add(int i) {
                return add.apply(i);
            }

            @Override
            public void close() {
                if (owner != null) {
                    try {
                        owner.close();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        };
    }

    private static void measure(String name, int n, java.util.function.Supplier<Subject> factory)
            throws InterruptedException {
        // A first round loads classes and fills one-off caches (and a streammetrics thread's ring) outside the delta.
        try (Subject warm = factory.get()) {
            for (int i = 0; i < Math.min(n, 100); i++) {
                warm.add(i);
            }
        }
        try (Subject subject = factory.get()) {
            // The registry, the engine and its per-thread ring exist before the baseline; only series are counted.
            List<Object> handles = new ArrayList<>(n + 1);
            handles.add(subject.add(n));
            long before = heapAfterGc();
            for (int i = 0; i < n; i++) {
                handles.add(subject.add(i));
            }
            long after = heapAfterGc();
            System.out.printf("  %-42s %,10d bytes%n", name, (after - before) / n);
            Reference.reachabilityFence(handles);
            Reference.reachabilityFence(subject);
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
