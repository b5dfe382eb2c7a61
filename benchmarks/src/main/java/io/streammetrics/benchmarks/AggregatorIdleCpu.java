package io.streammetrics.benchmarks;

import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.Timer;

/**
 * CPU the aggregator thread uses while nothing is recorded, and while a pipeline records at a moderate rate, as a
 * share of one core. Not a JMH benchmark: it reads the thread's CPU time over a wall-clock interval.
 *
 * <pre>java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     io.streammetrics.benchmarks.AggregatorIdleCpu [seconds]</pre>
 */
public final class AggregatorIdleCpu {
    private AggregatorIdleCpu() {
    }

    /** Arguments: seconds per measurement (default 10). */
    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 10;
        try (MetricsEngine engine = MetricsEngine.builder().build().start()) {
            Counter counter = engine.counter("idle_probe_total").register().labels();
            Timer timer = engine.timer("idle_probe_latency").register().labels();
            counter.increment();
            Thread.sleep(1000);
            System.out.printf("idle: aggregator used %.2f %% of a core over %d s%n", cpuShare(seconds, null), seconds);

            long perSecond = 100_000;
            Runnable load = () -> {
                long start = System.nanoTime();
                for (long n = 1; !Thread.currentThread().isInterrupted(); n++) {
                    counter.increment();
                    timer.record(1_000 + (n & 0xFFFF));
                    long due = start + n * 1_000_000_000L / perSecond;
                    long ahead = due - System.nanoTime();
                    if (ahead > 0 && (n & 127) == 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(ahead);
                    }
                }
            };
            System.out.printf("%,d records/s (counter + timer): aggregator used %.2f %% of a core over %d s%n",
                    perSecond, cpuShare(seconds, load), seconds);
        }
    }

    private static double cpuShare(long seconds, Runnable load) throws InterruptedException {
        AggregatorThread aggregator = AggregatorThread.find();
        Thread producer = load == null ? null : new Thread(load, "load");
        if (producer != null) {
            producer.start();
            Thread.sleep(500);
        }
        long cpuBefore = aggregator.cpuNanos();
        long wallBefore = System.nanoTime();
        Thread.sleep(seconds * 1000);
        long cpu = aggregator.cpuNanos() - cpuBefore;
        long wall = System.nanoTime() - wallBefore;
        if (producer != null) {
            producer.interrupt();
            producer.join();
        }
        return 100.0 * cpu / wall;
    }
}
