package io.streammetrics;

import io.streammetrics.metadata.FamilyMetadata;
import io.streammetrics.common.EngineClock;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.FamilySnapshot;
import io.streammetrics.snapshot.GaugePoint;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.snapshot.SeriesCursor;
import io.streammetrics.snapshot.SeriesPoint;
import io.streammetrics.snapshot.SeriesVisitor;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Shared helpers of the engine tests: reading points out of snapshots, bounded waits, and producer threads. */
public final class EngineTestSupport {
    /** Upper bound of every wait for the aggregator; a wait that runs out fails the test. */
    public static final Duration WAIT = Duration.ofSeconds(10);
    /** Upper bound for producer threads to finish; a run that needs longer is a hang, and fails. */
    public static final Duration PRODUCER_TIMEOUT = Duration.ofSeconds(60);

    private EngineTestSupport() {
    }

    public static FamilySnapshot family(MetricsSnapshot snapshot, String name) {
        FamilySnapshot family = snapshot.family(name);
        assertNotNull(family, () -> "family '" + name + "' missing from snapshot");
        return family;
    }

    public static SeriesPoint point(MetricsSnapshot snapshot, String name, String... labelValues) {
        SeriesPoint point = family(snapshot, name).point(labelValues);
        assertNotNull(point, () -> "series " + name + List.of(labelValues) + " missing from snapshot");
        return point;
    }

    public static CounterPoint counter(MetricsSnapshot snapshot, String name, String... labelValues) {
        return (CounterPoint) point(snapshot, name, labelValues);
    }

    /** A counter's integer total, exact. */
    public static long counterLong(MetricsSnapshot snapshot, String name, String... labelValues) {
        return counter(snapshot, name, labelValues).longValue();
    }

    public static GaugePoint gauge(MetricsSnapshot snapshot, String name, String... labelValues) {
        return (GaugePoint) point(snapshot, name, labelValues);
    }

    public static HistogramPoint histogram(MetricsSnapshot snapshot, String name, String... labelValues) {
        return (HistogramPoint) point(snapshot, name, labelValues);
    }

    /**
     * Reads the engine as a scrape does ({@code engine.snapshot(visitor)}), passing each series of family
     * {@code name} to {@code check} inside the read epoch; returns how many series it saw.
     */
    public static int visitFamily(MetricsEngine engine, String name, Consumer<SeriesCursor> check) {
        int[] visited = new int[1];
        engine.snapshot(new SeriesVisitor() {
            private boolean inFamily;

            @Override
            public void family(FamilyMetadata family, long timestampMillis) {
                inFamily = family.name().equals(name);
            }

            @Override
            public void series(SeriesCursor cursor) {
                if (inFamily) {
                    check.accept(cursor);
                    visited[0]++;
                }
            }
        });
        return visited[0];
    }

    /**
     * Values to record against classic bounds (exported units, {@code scale} recorded units each): on each bound,
     * one recorded unit either side, a little (within and beyond one HDR bucket width) below and above it, half and
     * twice it, and 2,000 random ones up to twice the last bound; all within 0 and {@code highest}.
     */
    public static List<Long> valuesAroundBounds(double[] bounds, double scale, long highest, SplittableRandom random) {
        List<Long> values = new ArrayList<>();
        for (double bound : bounds) {
            long at = (long) Math.floor(bound * scale);
            for (long v : new long[] {at - 1, at, at + 1, (long) Math.ceil(bound * scale), at - at / 300,
                    at + at / 300, at - at / 100, at / 2, 2 * at}) {
                if (v >= 0 && v <= highest) {
                    values.add(v);
                }
            }
        }
        long top = (long) Math.min(highest, 2 * bounds[bounds.length - 1] * scale + 2);
        for (int i = 0; i < 2000; i++) {
            values.add(random.nextLong(top + 1));
        }
        return values;
    }

    /** {@code streammetrics_events_dropped{reason}}. */
    public static long dropped(MetricsSnapshot snapshot, String reason) {
        return counterLong(snapshot, "streammetrics_events_dropped", reason);
    }

    /** {@code streammetrics_values_rejected{reason}}. */
    public static long rejected(MetricsSnapshot snapshot, String reason) {
        return counterLong(snapshot, "streammetrics_values_rejected", reason);
    }

    /**
     * Takes snapshots until {@code condition} holds (sleeping 1 ms between tries) and returns the first that satisfies
     * it; fails after {@link #WAIT}.
     */
    public static MetricsSnapshot awaitSnapshot(MetricsEngine engine, String what, Predicate<MetricsSnapshot> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            MetricsSnapshot snapshot = engine.snapshot();
            if (condition.test(snapshot)) {
                return snapshot;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + WAIT + " waiting for " + what);
            }
            sleepMillis(1);
        }
    }

    static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The body of one producer thread; {@code index} runs from 0. */
    @FunctionalInterface
    public interface Producer {
        void run(int index) throws Exception;
    }

    /**
     * Runs {@code threads} producers released together, waits for all of them (at most {@link #PRODUCER_TIMEOUT})
     * and rethrows the first failure.
     */
    public static void runProducers(int threads, Producer producer) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        Throwable[] failures = new Throwable[threads];
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                    producer.run(index);
                } catch (Throwable e) {
                    failures[index] = e;
                }
            }, "test-producer-" + t);
            thread.setDaemon(true);
            thread.start();
            started.add(thread);
        }
        go.countDown();
        long deadline = System.nanoTime() + PRODUCER_TIMEOUT.toNanos();
        for (Thread thread : started) {
            long left = deadline - System.nanoTime();
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            assertTrue(!thread.isAlive(), () -> thread.getName() + " did not finish within " + PRODUCER_TIMEOUT);
        }
        for (Throwable failure : failures) {
            if (failure != null) {
                throw new AssertionError("producer failed", failure);
            }
        }
    }

    /** An {@link EngineClock} that moves only when told to. */
    public static final class ManualClock implements EngineClock {
        public static final long EPOCH_MILLIS = 1_700_000_000_000L;
        private volatile long nanos;

        public ManualClock(long startNanos) {
            this.nanos = startNanos;
        }

        public void advance(long deltaNanos) {
            nanos += deltaNanos;
        }

        @Override
        public long nanoTime() {
            return nanos;
        }

        @Override
        public long epochMillis() {
            return EPOCH_MILLIS;
        }
    }

    /**
     * Bytes the calling thread allocates while running {@code body}, from the JVM's per-thread allocation counter;
     * first checks that the counter works (a known allocation shows).
     */
    public static long allocatedBytes(Runnable body) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported(), "this JVM cannot measure thread allocation");
        if (!threads.isThreadAllocatedMemoryEnabled()) {
            threads.setThreadAllocatedMemoryEnabled(true);
        }
        long threadId = Thread.currentThread().getId();
        long probeBefore = threads.getThreadAllocatedBytes(threadId);
        allocationSink = new byte[100_000];
        long probe = threads.getThreadAllocatedBytes(threadId) - probeBefore;
        assertTrue(probe >= 100_000, "a 100,000-byte array measured as " + probe + " bytes");

        long before = threads.getThreadAllocatedBytes(threadId);
        body.run();
        return threads.getThreadAllocatedBytes(threadId) - before;
    }

    /** Keeps the probe allocation of {@link #allocatedBytes} from being optimised away. */
    static volatile Object allocationSink;

    /** Asserts that a histogram point is internally consistent: count equals the sum of its buckets. */
    public static void assertBucketsAddUp(HistogramPoint point) {
        long buckets = 0;
        for (int i = point.lowIndex(); i <= point.highIndex(); i++) {
            buckets += point.countAt(i);
        }
        assertEquals(point.count(), buckets, () -> "bucket counts do not add up to count in " + point);
    }
}
