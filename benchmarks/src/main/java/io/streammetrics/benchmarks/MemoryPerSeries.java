package io.streammetrics.benchmarks;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.metadata.FamilyMetadata;
import io.streammetrics.metric.TimerFamily;
import io.streammetrics.snapshot.SeriesCursor;
import io.streammetrics.snapshot.SeriesVisitor;
import org.HdrHistogram.Recorder;
import org.agrona.UnsafeApi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Memory per histogram series, by the method of issue 12: one JVM per library ({@code -Xms2g -Xmx2g
 * -XX:+AlwaysPreTouch}, so the heap is resident from the start and RSS growth is off-heap growth), N timer series each
 * with a label value of its own, 200 log-normal latencies per series (median 300 us, sigma 1: about three decades),
 * recorded from 2 threads (each thread into every series, 100 values each), handles kept reachable; cost = RSS growth
 * + heap growth after GC; bytes per series = the slope between N = 2,000 and N = 10,000, which removes class loading
 * and other fixed costs. The recording threads (a pool of two) stay alive while the cost is read.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.streammetrics.benchmarks.MemoryPerSeries \
 *     [from 2000] [to 10000] [pattern paced|burst|wide] [heap 2g]</pre>
 *
 * Patterns: {@code paced} records in 100 rounds, 10 ms apart, one value per thread into every series a round (each
 * series gets about 100 values a second from each thread: cold series, as a stream processor's per-partition timers
 * are); {@code burst} has each thread record its 100 values into a series back to back, then the next series, flat
 * out (every series hot while it is recorded); {@code wide} records a million values per series, log-uniform over the
 * whole 1 ns - 1 h range (use {@code 200 1000 wide}). streammetrics records under {@code BLOCK}, so that every value
 * reaches the store; its histogram cells (heap, per recording thread, for hot series only) are capped by
 * {@code histogramCellMemory} (16 MiB) for all series together, which the "cells off" row leaves out.
 */
public final class MemoryPerSeries {
    private static final int THREADS = 2;
    private static final String LABEL = "shard";
    private static final int SAMPLES = 1 << 16;
    private static final long[] LOG_NORMAL_NANOS = new long[SAMPLES];
    private static final long[] LOG_UNIFORM_NANOS = new long[SAMPLES];
    private static final long HIGHEST = TimeUnit.HOURS.toNanos(1);

    static {
        SplittableRandom random = new SplittableRandom(300);
        for (int i = 0; i < SAMPLES; i++) {
            double u = 1.0 - random.nextDouble();
            double v = random.nextDouble();
            double gaussian = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
            LOG_NORMAL_NANOS[i] = Math.max(1, Math.min(HIGHEST, Math.round(300_000 * Math.exp(gaussian))));
            LOG_UNIFORM_NANOS[i] = Math.max(1, Math.min(HIGHEST, Math.round(Math.exp(random.nextDouble() * Math.log(HIGHEST)))));
        }
    }

    private MemoryPerSeries() {
    }

    /** The libraries, with the configuration a user of each would pick for latency histograms. */
    enum Library {
        STREAMMETRICS("streammetrics timer"),
        STREAMMETRICS_NO_CELLS("streammetrics timer, cells off"),
        HDR_RECORDER("HdrHistogram Recorder, 2 digits"),
        CLIENT_JAVA_NATIVE("client_java native-only histogram"),
        OTEL_EXPONENTIAL("OpenTelemetry base-2 exponential histogram"),
        CLIENT_JAVA_CLASSIC("client_java classic histogram"),
        MICROMETER("Micrometer Timer, percentile histogram"),
        OTEL_EXPLICIT("OpenTelemetry explicit histogram");

        final String title;

        Library(String title) {
            this.title = title;
        }
    }

    /**
     * Runs every library in a JVM of its own and prints bytes per series. Arguments: N from (default 2,000), N to
     * (10,000), pattern (paced), heap size of each JVM (2g).
     */
    public static void main(String[] args) throws Exception {
        int from = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int to = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        String pattern = args.length > 2 ? args[2] : "paced";
        String heap = args.length > 3 ? args[3] : "2g";
        System.out.printf("bytes per histogram series, slope between N = %,d and N = %,d, pattern %s, "
                + "%d recording threads, one JVM per library (-Xms%s -Xmx%s -XX:+AlwaysPreTouch):%n",
                from, to, pattern, THREADS, heap, heap);
        for (Library library : Library.values()) {
            String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(java, "-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch",
                    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), Measure.class.getName(), library.name(),
                    Integer.toString(from), Integer.toString(to), pattern).redirectErrorStream(true).start();
            String result = null;
            List<String> output = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("RESULT ")) {
                        result = line.substring(7);
                    } else {
                        output.add(line);
                    }
                }
            }
            if (process.waitFor() != 0 || result == null) {
                throw new IllegalStateException(library.title + " failed: " + String.join("\n", output));
            }
            String[] fields = result.split(" ");
            long offHeap = Long.parseLong(fields[0]);
            long onHeap = Long.parseLong(fields[1]);
            System.out.printf("  %-44s %,8d bytes (off-heap %,d + heap %,d)%s%n", library.title,
                    (offHeap + onHeap) / (to - from), offHeap / (to - from), onHeap / (to - from),
                    fields.length > 2 ? "; store " + Long.parseLong(fields[2]) / (to - from) + " bytes a series" : "");
        }
    }

    /** One library in this JVM: prints {@code RESULT offHeapDelta heapDelta [storeDelta]} between the two Ns. */
    public static final class Measure {
        private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

        private Measure() {
        }

        public static void main(String[] args) throws Exception {
            Library library = Library.valueOf(args[0]);
            int from = Integer.parseInt(args[1]);
            int to = Integer.parseInt(args[2]);
            String pattern = args[3];
            // The recording threads live for the whole run, as a stream processor's do.
            ExecutorService recorders = Executors.newFixedThreadPool(THREADS);
            // A first round loads classes and compiles the record path outside the measurement.
            try (Subject warm = Subject.of(library)) {
                run(warm, recorders, pattern, 0, Math.min(from, 200), new ArrayList<>());
            }
            try (Subject subject = Subject.of(library)) {
                List<Object> handles = new ArrayList<>(to);
                long rss0 = rss();
                long heap0 = heapAfterGc();
                run(subject, recorders, pattern, 0, from, handles);
                long rss1 = rss();
                long heap1 = heapAfterGc();
                long store1 = subject.storeBytes();
                run(subject, recorders, pattern, from, to, handles);
                long rss2 = rss();
                long heap2 = heapAfterGc();
                long store2 = subject.storeBytes();
                Reference.reachabilityFence(handles);
                System.out.printf("baseline rss %,d heap %,d; N=%d rss %,d heap %,d; N=%d rss %,d heap %,d%n", rss0,
                        heap0, from, rss1, heap1, to, rss2, heap2);
                System.out.println("RESULT " + (rss2 - rss1) + " " + (heap2 - heap1)
                        + (store2 >= 0 ? " " + (store2 - store1) : ""));
            }
            recorders.shutdownNow();
            System.exit(0);
        }

        /** Adds series {@code from} to {@code to} and has the recording threads record into them. */
        private static void run(Subject subject, ExecutorService recorders, String pattern, int from, int to,
                                List<Object> handles) throws Exception {
            int base = handles.size();
            for (int i = from; i < to; i++) {
                subject.add(i, handles);
            }
            int rounds = pattern.equals("paced") ? 100 : 1;
            for (int r = 0; r < rounds; r++) {
                int round = r;
                // Both tasks wait for each other first: one on each of the pool's two threads.
                CyclicBarrier together = new CyclicBarrier(THREADS);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    done.add(recorders.submit(() -> {
                        together.await();
                        for (int i = from; i < to; i++) {
                            Object handle = handles.get(base + i - from);
                            switch (pattern) {
                                case "paced":
                                    subject.record(handle, LOG_NORMAL_NANOS[index(i, thread, round)]);
                                    break;
                                case "burst":
                                    for (int k = 0; k < 100; k++) {
                                        subject.record(handle, LOG_NORMAL_NANOS[index(i, thread, k)]);
                                    }
                                    break;
                                default:
                                    for (int k = 0; k < 500_000; k++) {
                                        subject.record(handle, LOG_UNIFORM_NANOS[index(i, thread, k)]);
                                    }
                                    break;
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> future : done) {
                    future.get();
                }
                if (rounds > 1) {
                    Thread.sleep(10);
                }
            }
            subject.settle();
        }

        private static int index(int series, int thread, int k) {
            return (int) ((series * 7_919L + thread * 104_729L + k * 40_503L) & (SAMPLES - 1));
        }

        /** Resident set size in bytes, from /proc/self/statm. */
        private static long rss() throws IOException {
            String[] fields = Files.readString(Paths.get("/proc/self/statm")).trim().split(" ");
            return Long.parseLong(fields[1]) * UnsafeApi.pageSize();
        }

        private static long heapAfterGc() throws InterruptedException {
            long used = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(200);
                used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
            }
            return used;
        }
    }

    /** A library's registry (or engine) and how to add a series to it and record into one. */
    private abstract static class Subject implements AutoCloseable {
        /** Adds series {@code i} and keeps its handle in {@code handles}. */
        abstract void add(int i, List<Object> handles);

        /** Records {@code nanos} into a series' handle (from the recording threads). */
        abstract void record(Object handle, long nanos);

        /** Waits until what was recorded is applied (streammetrics), so that its memory is in place. */
        void settle() {
        }

        /** Bytes of streammetrics' store, or -1. */
        long storeBytes() {
            return -1;
        }

        @Override
        public void close() {
        }

        static Subject of(Library library) {
            switch (library) {
                case STREAMMETRICS:
                    return streammetrics(MetricsEngine.builder());
                case STREAMMETRICS_NO_CELLS:
                    return streammetrics(MetricsEngine.builder().histogramCellMemory(0));
                case HDR_RECORDER:
                    return new Subject() {
                        @Override
                        void add(int i, List<Object> handles) {
                            handles.add(new Recorder(1, HIGHEST, 2));
                        }

                        @Override
                        void record(Object handle, long nanos) {
                            ((Recorder) handle).recordValue(nanos);
                        }
                    };
                case CLIENT_JAVA_NATIVE:
                    return clientJava(io.prometheus.metrics.core.metrics.Histogram.builder().nativeOnly());
                case CLIENT_JAVA_CLASSIC:
                    return clientJava(io.prometheus.metrics.core.metrics.Histogram.builder().classicOnly());
                case OTEL_EXPONENTIAL:
                    return otel(true);
                case OTEL_EXPLICIT:
                    return otel(false);
                case MICROMETER:
                    return micrometer();
                default:
                    throw new IllegalArgumentException(library.name());
            }
        }

        private static Subject streammetrics(MetricsEngine.Builder builder) {
            MetricsEngine engine = builder.backPressure(BackPressure.BLOCK).build().start();
            TimerFamily family = engine.timer("mem_latency").labelNames(LABEL).register();
            return new Subject() {
                @Override
                void add(int i, List<Object> handles) {
                    handles.add(family.labels("s" + i));
                }

                @Override
                void record(Object handle, long nanos) {
                    ((io.streammetrics.metric.Timer) handle).record(nanos);
                }

                @Override
                void settle() {
                    engine.snapshot(NOTHING);
                }

                @Override
                long storeBytes() {
                    return engine.store().bytesTaken();
                }

                @Override
                public void close() {
                    engine.close();
                }
            };
        }

        /** A read of nothing: it returns once everything recorded before it is applied. */
        private static final SeriesVisitor NOTHING = new SeriesVisitor() {
            @Override
            public void family(FamilyMetadata family, long timestampMillis) {
            }

            @Override
            public void series(SeriesCursor cursor) {
            }
        };

        private static Subject clientJava(io.prometheus.metrics.core.metrics.Histogram.Builder builder) {
            io.prometheus.metrics.core.metrics.Histogram family = builder.name("mem_latency_seconds").labelNames(LABEL)
                    .register(new PrometheusRegistry());
            return new Subject() {
                @Override
                void add(int i, List<Object> handles) {
                    handles.add(family.labelValues("s" + i));
                }

                @Override
                void record(Object handle, long nanos) {
                    ((DistributionDataPoint) handle).observe(nanos / 1e9);
                }
            };
        }

        private static Subject otel(boolean exponential) {
            SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(new Peers.CumulativeReader())
                    .registerView(InstrumentSelector.builder().setName("mem_latency").build(), View.builder()
                            .setAggregation(exponential ? Aggregation.base2ExponentialBucketHistogram()
                                    : Aggregation.explicitBucketHistogram())
                            .setCardinalityLimit(1_000_000).build())
                    .build();
            DoubleHistogram histogram = provider.get("memory").histogramBuilder("mem_latency").setUnit("s").build();
            AttributeKey<String> key = AttributeKey.stringKey(LABEL);
            return new Subject() {
                @Override
                void add(int i, List<Object> handles) {
                    handles.add(Attributes.of(key, "s" + i));
                }

                @Override
                void record(Object handle, long nanos) {
                    histogram.record(nanos / 1e9, (Attributes) handle);
                }

                @Override
                public void close() {
                    provider.close();
                }
            };
        }

        private static Subject micrometer() {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            return new Subject() {
                @Override
                void add(int i, List<Object> handles) {
                    handles.add(io.micrometer.core.instrument.Timer.builder("mem_latency").tag(LABEL, "s" + i)
                            .publishPercentileHistogram().register(registry));
                }

                @Override
                void record(Object handle, long nanos) {
                    ((io.micrometer.core.instrument.Timer) handle).record(nanos, TimeUnit.NANOSECONDS);
                }

                @Override
                public void close() {
                    registry.close();
                }
            };
        }
    }
}
