package io.streammetrics.benchmarks;

import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.Timer;
import io.streammetrics.metric.TimerFamily;
import io.streammetrics.internal.store.MetricStore;
import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Time from {@code record()} returning to the value being visible to a reader, p50/p99/p99.9 with HdrHistogram, at
 * idle and while another thread records at a steady rate, and the probing thread's CPU time in it (p50/p99: what the
 * probe cost, without the waits for a core that a shared machine adds to the first). A probe records once, then
 * spins until it sees the value; probes are spaced at random (0 to 4 ms) so that they do not fall into step with the
 * aggregator's parking. Five probes:
 * <ul>
 *   <li>{@code counter, store}: a counter increment, read from the store as an exporter reading the store file does
 *       (no wake-up: what the aggregator's own schedule gives);</li>
 *   <li>{@code timer, store}: a timer record, read the same way (the series' update count);</li>
 *   <li>{@code timer, snapshot()}: a timer record, then {@code engine.snapshot()}, which wakes the aggregator and
 *       waits for it (read-your-writes): the time until the snapshot holding the value is returned. The snapshot
 *       rows run in 4 rounds (each row's engine afresh in each round, after 500 unmeasured probes so that no row
 *       pays for the JIT's first compilations), so that a shared machine's changing load falls on them alike;</li>
 *   <li>{@code timer, snapshot(), JVM read per snapshot}: the same with the JVM and process metrics read by every
 *       snapshot ({@code jvmMetricsRefreshInterval(Duration.ZERO)}, what every snapshot did before the readings
 *       moved to a background thread refreshing them once a second);</li>
 *   <li>{@code timer, snapshot(), no JVM metrics}: the same on an engine without the JVM and process metrics.</li>
 * </ul>
 *
 * <pre>java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     io.streammetrics.benchmarks.RecordToVisibleLatency [probes per row, default 2000] [load records/s, default 1000000]</pre>
 */
public final class RecordToVisibleLatency {
    private static final long MAX_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(4);
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int WARM_UP_PROBES = 500;
    private static final int ROUNDS = 4;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private RecordToVisibleLatency() {
    }

    /** Arguments: probes per row (default 2000), records a second of the background load (default 1,000,000). */
    public static void main(String[] args) throws InterruptedException {
        int probes = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        long loadPerSecond = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        System.out.printf("%-42s %-22s %10s %10s %10s %10s %12s %12s%n", "probe", "load", "p50 us", "p99 us",
                "p99.9 us", "max us", "CPU p50 us", "CPU p99 us");
        for (long load : new long[] {0, loadPerSecond}) {
            String loadName = load == 0 ? "idle" : String.format("%,d records/s", load);
            storeProbes(probes, load, loadName);
            // The snapshot rows in rounds, each round a fresh engine per row: a shared machine's load changes over
            // minutes, and the rounds spread that over the rows alike.
            Map<JvmMode, Latencies> latencies = new EnumMap<>(JvmMode.class);
            for (int round = 0; round < ROUNDS; round++) {
                for (JvmMode jvm : JvmMode.values()) {
                    Latencies roundLatencies = snapshotProbes(Math.max(1, probes / ROUNDS), load, jvm);
                    latencies.computeIfAbsent(jvm, j -> new Latencies()).add(roundLatencies);
                }
            }
            latencies.forEach((jvm, histogram) -> report(jvm.probe, loadName, histogram));
        }
    }

    /** How the engine under test has its JVM and process metrics. */
    private enum JvmMode {
        /** The default: read in the background once a second, snapshots sample the last reading. */
        REFRESHED("timer, snapshot()"),
        /** Read by every snapshot. */
        PER_SNAPSHOT("timer, snapshot(), JVM read per snapshot"),
        /** None. */
        OFF("timer, snapshot(), no JVM metrics");

        final String probe;

        JvmMode(String probe) {
            this.probe = probe;
        }
    }

    /** The two store probes, on a default engine (they read no JVM metrics). */
    private static void storeProbes(int probes, long load, String loadName) throws InterruptedException {
        try (MetricsEngine engine = MetricsEngine.builder().build().start()) {
            Thread loader = load == 0 ? null : startLoad(engine, load);
            Counter counter = engine.counter("visible_probe").register().labels();
            Timer timer = engine.timer("visible_probe_latency").register().labels();
            MetricStore store = engine.store();
            long[] expected = {0};
            report("counter, store", loadName, probe(probes, () -> {
                counter.increment();
                return ++expected[0];
            }, target -> store.counterLongValue(counter.seriesId()) >= target));
            report("timer, store", loadName, probe(probes, timerRecord(store, timer),
                    target -> store.updates(timer.seriesId()) >= target));
            stop(loader);
        }
    }

    /** The snapshot probe against a fresh engine with {@code jvm} metrics, after unmeasured warm-up probes. */
    private static Latencies snapshotProbes(int probes, long load, JvmMode jvm) throws InterruptedException {
        MetricsEngine.Builder builder = MetricsEngine.builder().jvmMetrics(jvm != JvmMode.OFF);
        if (jvm == JvmMode.PER_SNAPSHOT) {
            builder.jvmMetricsRefreshInterval(Duration.ZERO);
        }
        try (MetricsEngine engine = builder.build().start()) {
            Thread loader = load == 0 ? null : startLoad(engine, load);
            Timer timer = engine.timer("visible_probe_latency").register().labels();
            LongSupplier record = timerRecord(engine.store(), timer);
            Visible inSnapshot = target ->
                    engine.snapshot().family("visible_probe_latency").points().get(0).updates() >= target;
            // Unmeasured first: the first engine of a run would otherwise pay the JIT's compilation of the snapshot
            // path in its tail, and the rows would depend on their order.
            probe(WARM_UP_PROBES, record, inSnapshot);
            Latencies latencies = probe(probes, record, inSnapshot);
            stop(loader);
            return latencies;
        }
    }

    /**
     * A timer record whose visibility target is the series' update count after it: probes run one at a time, so the
     * count before a record is the count without it.
     */
    private static LongSupplier timerRecord(MetricStore store, Timer timer) {
        return () -> {
            long target = store.updates(timer.seriesId()) + 1;
            timer.record(1_000);
            return target;
        };
    }

    private static void stop(Thread loader) throws InterruptedException {
        if (loader != null) {
            loader.interrupt();
            loader.join();
        }
    }

    /** A visibility check for the value a probe's record made, identified by {@code target}. */
    private interface Visible {
        boolean test(long target);
    }

    /**
     * The time each probe took, and the probing thread's CPU time in it: on a shared machine the first includes
     * waiting for a core, the second does not.
     */
    private static final class Latencies {
        final Histogram wall = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final Histogram cpu = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);

        void add(Latencies other) {
            wall.add(other.wall);
            cpu.add(other.cpu);
        }
    }

    private static Latencies probe(int probes, LongSupplier record, Visible visible) {
        Latencies latencies = new Latencies();
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < probes; i++) {
            LockSupport.parkNanos(random.nextLong(MAX_GAP_NANOS));
            long startCpu = THREADS.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            long target = record.getAsLong();
            while (!visible.test(target)) {
                if (System.nanoTime() - start > TIMEOUT_NANOS) {
                    throw new IllegalStateException("record not visible after 5 s");
                }
                Thread.onSpinWait();
            }
            latencies.wall.recordValue(System.nanoTime() - start);
            latencies.cpu.recordValue(Math.max(0, THREADS.getCurrentThreadCpuTime() - startCpu));
        }
        return latencies;
    }

    private static void report(String probe, String load, Latencies latencies) {
        Histogram wall = latencies.wall;
        System.out.printf("%-42s %-22s %10.1f %10.1f %10.1f %10.1f %12.1f %12.1f%n", probe, load,
                wall.getValueAtPercentile(50) / 1e3, wall.getValueAtPercentile(99) / 1e3,
                wall.getValueAtPercentile(99.9) / 1e3, wall.getMaxValue() / 1e3,
                latencies.cpu.getValueAtPercentile(50) / 1e3, latencies.cpu.getValueAtPercentile(99) / 1e3);
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
