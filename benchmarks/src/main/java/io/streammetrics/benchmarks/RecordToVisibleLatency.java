package io.streammetrics.benchmarks;

import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.Timer;
import io.streammetrics.metric.TimerFamily;
import io.streammetrics.store.MetricStore;
import org.HdrHistogram.Histogram;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Time from {@code record()} returning to the value being visible to a reader, p50/p99/p99.9 with HdrHistogram, at
 * idle and while another thread records at a steady rate. A probe records once, then spins until it sees the value;
 * probes are spaced at random (0 to 4 ms) so that they do not fall into step with the aggregator's parking. Three
 * probes:
 * <ul>
 *   <li>{@code counter, store}: a counter increment, read from the store as an exporter reading the store file does
 *       (no wake-up: what the aggregator's own schedule gives);</li>
 *   <li>{@code timer, store}: a timer record, read the same way (the series' update count);</li>
 *   <li>{@code timer, snapshot()}: a timer record, then {@code engine.snapshot()}, which wakes the aggregator and
 *       waits for it (read-your-writes): the time until the snapshot holding the value is returned;</li>
 *   <li>{@code timer, snapshot(), no JVM metrics}: the same on an engine without the default JVM and process
 *       metrics, whose readings (memory pools, {@code /proc}) each snapshot otherwise takes as well.</li>
 * </ul>
 *
 * <pre>java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     io.streammetrics.benchmarks.RecordToVisibleLatency [probes per row, default 2000] [load records/s, default 1000000]</pre>
 */
public final class RecordToVisibleLatency {
    private static final long MAX_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(4);
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private RecordToVisibleLatency() {
    }

    /** Arguments: probes per row (default 2000), records a second of the background load (default 1,000,000). */
    public static void main(String[] args) throws InterruptedException {
        int probes = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        long loadPerSecond = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        System.out.printf("%-34s %-22s %10s %10s %10s %10s%n", "probe", "load", "p50 us", "p99 us", "p99.9 us", "max us");
        for (long load : new long[] {0, loadPerSecond}) {
            for (boolean jvmMetrics : new boolean[] {true, false}) {
                run(probes, load, jvmMetrics);
            }
        }
    }

    /**
     * The probes against one engine: all three with the default JVM metrics, only the snapshot probe without them
     * (the store probes do not read them).
     */
    private static void run(int probes, long load, boolean jvmMetrics) throws InterruptedException {
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(jvmMetrics).build().start()) {
            String loadName = load == 0 ? "idle" : String.format("%,d records/s", load);
            Thread loader = load == 0 ? null : startLoad(engine, load);
            Counter counter = engine.counter("visible_probe").register().labels();
            Timer timer = engine.timer("visible_probe_latency").register().labels();
            MetricStore store = engine.store();
            long[] expected = {0};
            // One probe at a time, so the series' update count before a record is the count without it.
            LongSupplier recordTimer = () -> {
                long target = store.updates(timer.seriesId()) + 1;
                timer.record(1_000);
                return target;
            };
            if (jvmMetrics) {
                report("counter, store", loadName, probe(probes, () -> {
                    counter.increment();
                    return ++expected[0];
                }, target -> store.counterLongValue(counter.seriesId()) >= target));
                report("timer, store", loadName, probe(probes, recordTimer,
                        target -> store.updates(timer.seriesId()) >= target));
            }
            report(jvmMetrics ? "timer, snapshot()" : "timer, snapshot(), no JVM metrics", loadName,
                    probe(probes, recordTimer, target ->
                            engine.snapshot().family("visible_probe_latency").points().get(0).updates() >= target));
            if (loader != null) {
                loader.interrupt();
                loader.join();
            }
        }
    }

    /** A visibility check for the value a probe's record made, identified by {@code target}. */
    private interface Visible {
        boolean test(long target);
    }

    private static Histogram probe(int probes, LongSupplier record, Visible visible) {
        Histogram latencies = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < probes; i++) {
            LockSupport.parkNanos(random.nextLong(MAX_GAP_NANOS));
            long start = System.nanoTime();
            long target = record.getAsLong();
            while (!visible.test(target)) {
                if (System.nanoTime() - start > TIMEOUT_NANOS) {
                    throw new IllegalStateException("record not visible after 5 s");
                }
                Thread.onSpinWait();
            }
            latencies.recordValue(System.nanoTime() - start);
        }
        return latencies;
    }

    private static void report(String probe, String load, Histogram latencies) {
        System.out.printf("%-34s %-22s %10.1f %10.1f %10.1f %10.1f%n", probe, load,
                latencies.getValueAtPercentile(50) / 1e3, latencies.getValueAtPercentile(99) / 1e3,
                latencies.getValueAtPercentile(99.9) / 1e3, latencies.getMaxValue() / 1e3);
    }

    /** A thread recording timer values on other series at {@code perSecond}, paced in steps of 128 records. */
    private static Thread startLoad(MetricsEngine engine, long perSecond) {
        TimerFamily family = engine.timer("visible_load_latency").labelNames("shard").register();
        Timer[] timers = new Timer[16];
        for (int s = 0; s < timers.length; s++) {
            timers[s] = family.labels("s" + s);
        }
        Thread thread = new Thread(() -> {
            long start = System.nanoTime();
            for (long n = 1; !Thread.currentThread().isInterrupted(); n++) {
                timers[(int) n & 15].record(LogNormalValues.nanosAt((int) n));
                if ((n & 127) == 0) {
                    long ahead = start + n * 1_000_000_000L / perSecond - System.nanoTime();
                    if (ahead > 0) {
                        LockSupport.parkNanos(ahead);
                    }
                }
            }
        }, "load");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
