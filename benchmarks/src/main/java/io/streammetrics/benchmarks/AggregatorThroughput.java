package io.streammetrics.benchmarks;

import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.Gauge;
import io.streammetrics.metric.Timer;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.SeriesPoint;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * How many events a second the single aggregator applies, and which side saturates first. Producer threads record as
 * fast as they can for a few seconds under the default {@code DROP} policy; the engine's self-metrics then tell the
 * events offered, applied and dropped, and the aggregator thread's CPU time tells how busy it was. Drops mean the
 * aggregator is the bottleneck (what it applied is its ceiling on this machine, if it had a core to itself); none
 * mean the producers are. Events applied per second of aggregator CPU is the aggregator's own rate, the figure that
 * depends least on what else the machine runs.
 *
 * <p>Workloads, each over 64 series:
 * <ul>
 *   <li>{@code counter}: integer increments, which never become events (each thread adds to its own cell, swept
 *       into the store once a pass), so this is a producer rate; applied = the counters' total;</li>
 *   <li>{@code counter-double}: fractional increments, one ring event each;</li>
 *   <li>{@code histogram}: timer records of log-normal latencies into the threads' histogram cells, swept into
 *       the store once a pass (a producer rate, as for counters; applied = the timers' total count);</li>
 *   <li>{@code histogram-events}: the same with histogram cells off, one event each: the aggregator's rate;</li>
 *   <li>{@code mix}: per record of a pipeline, a count and a byte counter (counter cells), a processing latency and
 *       an end-to-end latency (histogram cells: 2 timers x 64 series per producer, within the default budget) and a
 *       queue-size gauge (event);</li>
 *   <li>{@code mix-events}: the same with histogram cells off: 3 events for 5 updates.</li>
 * </ul>
 *
 * <pre>java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     io.streammetrics.benchmarks.AggregatorThroughput [seconds per run, default 5] [max producers, default 2]</pre>
 */
public final class AggregatorThroughput {
    private static final int SERIES = 64;

    private AggregatorThroughput() {
    }

    /** One record of a workload: {@code i} is the producer's running count. */
    private interface Workload {
        void record(long i);
    }

    /** Arguments: seconds per run (default 5), largest number of producer threads (default 2). */
    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        int maxProducers = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        System.out.printf("%-15s %9s %16s %16s %9s %14s %18s %16s  %s%n", "workload", "producers", "offered/s",
                "applied/s", "dropped", "aggregator CPU", "applied/CPU-s", "updates/s", "saturated");
        for (String workload : List.of("counter", "counter-double", "histogram", "histogram-events", "mix",
                "mix-events")) {
            for (int producers = 1; producers <= maxProducers; producers++) {
                run(workload, producers, seconds);
            }
        }
    }

    private static void run(String name, int producers, double seconds) throws InterruptedException {
        MetricsEngine.Builder settings = MetricsEngine.builder();
        if (name.endsWith("-events")) {
            settings.histogramCellMemory(0);
        }
        try (MetricsEngine engine = settings.build().start()) {
            Workload workload = workload(name.replace("-events", ""), engine);
            AggregatorThread aggregator = AggregatorThread.find();
            List<Thread> threads = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            for (int p = 0; p < producers; p++) {
                Thread thread = new Thread(() -> {
                    long i = 0;
                    while (!stop.get()) {
                        for (int k = 0; k < 1024; k++) {
                            workload.record(i++);
                        }
                    }
                }, "producer-" + p);
                threads.add(thread);
            }
            threads.forEach(Thread::start);
            // Let the JIT and the rings settle before counting.
            Thread.sleep((long) (seconds * 200));
            Peers.EventTotals before = Peers.eventTotals(engine);
            long cellsBefore = cellTotal(engine, name);
            long cpuBefore = aggregator.cpuNanos();
            long wallBefore = System.nanoTime();
            Thread.sleep((long) (seconds * 1000));
            Peers.EventTotals after = Peers.eventTotals(engine);
            long cellsAfter = cellTotal(engine, name);
            double wall = (System.nanoTime() - wallBefore) / 1e9;
            double cpu = (aggregator.cpuNanos() - cpuBefore) / 1e9;
            stop.set(true);
            for (Thread thread : threads) {
                thread.join();
            }
            long offered = after.published() - before.published() + after.dropped() - before.dropped();
            long applied = after.applied() - before.applied();
            long dropped = after.dropped() - before.dropped();
            if (name.equals("counter") || name.equals("histogram")) {
                applied = cellsAfter - cellsBefore;
                offered = applied + dropped;
            }
            if (applied == 0) {
                throw new IllegalStateException(name + ": nothing reached the store");
            }
            double updatesPerSecond = switch (name) {
                case "mix-events" -> offered / wall * 5 / 3;
                default -> offered / wall;
            };
            System.out.printf("%-15s %9d %,16.0f %,16.0f %8.1f%% %13.0f%% %,18.0f %,16.0f  %s%n", name, producers,
                    offered / wall, applied / wall, offered == 0 ? 0.0 : 100.0 * dropped / offered, 100 * cpu / wall,
                    cpu == 0 ? 0.0 : applied / cpu, updatesPerSecond, saturated(dropped, offered, cpu / wall));
        }
    }

    /**
     * Which side limits the rate. Drops mean the aggregator did not keep up; if it did not get most of a core
     * meanwhile, it was descheduled (a busy or oversubscribed machine) rather than at its own limit, and the
     * applied/CPU-s column is the better estimate of what it can do.
     */
    private static String saturated(long dropped, long offered, double aggregatorCores) {
        if (dropped <= offered / 1000) {
            return "producers";
        }
        return aggregatorCores >= 0.8 ? "aggregator" : String.format("aggregator, descheduled (%.0f %% of a core)",
                100 * aggregatorCores);
    }

    private static Workload workload(String name, MetricsEngine engine) {
        Counter[] counts = series(engine.counter("agg_records").labelNames("shard").register()::labels, Counter[]::new);
        Counter[] bytes = series(engine.counter("agg_bytes").labelNames("shard").register()::labels, Counter[]::new);
        Timer[] latencies = series(engine.timer("agg_latency").labelNames("shard").register()::labels, Timer[]::new);
        Timer[] endToEnd = series(engine.timer("agg_end_to_end").labelNames("shard").register()::labels, Timer[]::new);
        Gauge[] queues = series(engine.gauge("agg_queue").labelNames("shard").register()::labels, Gauge[]::new);
        int mask = SERIES - 1;
        return switch (name) {
            case "counter" -> i -> counts[(int) i & mask].increment();
            case "counter-double" -> i -> counts[(int) i & mask].add(0.5);
            case "histogram" -> i -> latencies[(int) i & mask].record(LogNormalValues.nanosAt((int) i));
            case "mix" -> i -> {
                int s = (int) i & mask;
                long nanos = LogNormalValues.nanosAt((int) i);
                counts[s].increment();
                bytes[s].add(120);
                latencies[s].record(nanos);
                queues[s].set(i & 1023);
                endToEnd[s].record(nanos * 3);
            };
            default -> throw new IllegalArgumentException("unknown workload " + name);
        };
    }

    /** {@code SERIES} handles of one family, labelled {@code shard="s0"..}. */
    private static <T> T[] series(Function<String, T> labels, IntFunction<T[]> newArray) {
        T[] handles = newArray.apply(SERIES);
        for (int s = 0; s < SERIES; s++) {
            handles[s] = labels.apply("s" + s);
        }
        return handles;
    }

    /**
     * What the workloads that record into cells add to: the integer total of the {@code agg_records} counters
     * ({@code counter}) or the count of the {@code agg_latency} timers ({@code histogram}); 0 for the others.
     */
    private static long cellTotal(MetricsEngine engine, String workload) {
        long total = 0;
        if (workload.equals("counter")) {
            for (SeriesPoint point : engine.snapshot().family("agg_records").points()) {
                total += ((CounterPoint) point).longValue();
            }
        } else if (workload.equals("histogram")) {
            for (SeriesPoint point : engine.snapshot().family("agg_latency").points()) {
                total += ((HistogramPoint) point).count();
            }
        }
        return total;
    }
}
