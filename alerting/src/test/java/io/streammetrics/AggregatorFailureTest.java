package io.streammetrics;

import io.streammetrics.health.EngineCheck;
import io.streammetrics.health.HealthCheckResult;
import io.streammetrics.health.HealthStatus;
import io.streammetrics.internal.aggregate.Aggregator;
import io.streammetrics.internal.registry.MetricRegistry;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.Gauge;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.testing.FaultyIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.streammetrics.EngineTestSupport.WAIT;
import static io.streammetrics.EngineTestSupport.counterLong;
import static io.streammetrics.EngineTestSupport.sleepMillis;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15, item 2: the aggregator survives what it can (caught per step, counted, logged once) and what it cannot
 * survive fails the engine visibly and at once: state {@code FAILED}, {@code snapshot()} refused with the cause,
 * health critical, {@code BLOCK} producers released with their records dropped and counted, a self-metric. Faults
 * are injected through a user idle strategy (public API, {@link FaultyIdleStrategy}) and through the aggregator's step hook (tests only).
 */
class AggregatorFailureTest {
    private static final long SNAPSHOT_TIMEOUT_MILLIS = 1_000;

    private final List<LogRecord> logged = new ArrayList<>();
    private final Logger aggregatorLog = Logger.getLogger(Aggregator.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public synchronized void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        aggregatorLog.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        aggregatorLog.removeHandler(capture);
    }

    private List<LogRecord> logged(Level level) {
        synchronized (capture) {
            return logged.stream().filter(r -> r.getLevel() == level).toList();
        }
    }

    /** An {@link OutOfMemoryError} from the user's idle strategy: outside any drain, where it once killed the thread. */
    @Test
    void anErrorOutsideTheDrainFailsTheEngineAtOnce() throws Exception {
        OutOfMemoryError injected = new OutOfMemoryError("injected into the idle strategy");
        FaultyIdleStrategy failing = new FaultyIdleStrategy();
        MetricsEngine engine = MetricsEngine.builder().ringSize(1024).backPressure(BackPressure.BLOCK)
                .idleStrategy(failing).jvmMetrics(false).build().start();
        try {
            Gauge gauge = engine.gauge("failure_level").register().labels();
            Counter counter = engine.counter("failure_ops_total").register().labels();
            counter.add(5);
            assertEquals(5, counterLong(engine.snapshot(), "failure_ops"));
            failing.throwNext(injected);
            awaitTrue("state FAILED", () -> engine.state() == EngineState.FAILED);
            assertSame(injected, engine.status().failure());

            long started = System.nanoTime();
            EngineFailedException refused = assertThrows(EngineFailedException.class, engine::snapshot);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertSame(injected, refused.getCause());
            assertTrue(tookMillis < SNAPSHOT_TIMEOUT_MILLIS, "snapshot of a failed engine waited " + tookMillis
                    + " ms for a dead aggregator");
            assertThrows(EngineFailedException.class, () -> engine.snapshot(new CountingVisitor()));

            // A BLOCK producer with a full ring and no aggregator is not left waiting: its records are dropped.
            int records = 10_000;
            runToCompletion("a BLOCK producer after the failure", () -> {
                for (int i = 0; i < records; i++) {
                    gauge.set(i);
                    counter.increment();
                }
            });
            assertEquals(1, logged(Level.SEVERE).size(), "the failure is logged once");
            assertSame(injected, logged(Level.SEVERE).get(0).getThrown());

            engine.close();
            assertEquals(EngineState.FAILED, engine.state(), "closing a failed engine leaves it failed");
            assertTrue(engine.isClosed());
            assertThrows(EngineFailedException.class, engine::snapshot);
            assertThrows(EngineFailedException.class, engine::start);
            // The final self-metrics, for a reader of the store: failed, and every refused record counted.
            assertEquals(1.0, storeGauge(engine, "streammetrics_aggregator_failed"));
            assertEquals(2L * records, storeCounter(engine, "streammetrics_events_dropped", "failed"));
        } finally {
            engine.close();
        }
    }

    /**
     * The example: an {@link OutOfMemoryError} in ring retirement, while a {@code BLOCK} producer waits for
     * room that only the aggregator could make. Everything must become visible: state, snapshot, health, the waiting
     * producer released, the drops counted.
     */
    @Test
    void anOutOfMemoryErrorInRingRetirementFailsTheEngineVisibly() throws Exception {
        MetricsEngine engine = MetricsEngine.builder().ringSize(1024).backPressure(BackPressure.BLOCK)
                .jvmMetrics(false).build().start();
        EngineCheck health = EngineCheck.of(engine);
        try {
            assertEquals(HealthStatus.HEALTHY, awaitHealthy(health).status());
            Gauge gauge = engine.gauge("retire_level").register().labels();
            OutOfMemoryError injected = new OutOfMemoryError("injected into ring retirement");
            CountDownLatch producerWaits = new CountDownLatch(1);
            // Every drain fails (survived) until the producer has filled its ring and waits; the next retirement
            // then throws the error.
            engine.aggregator().stepHook(step -> {
                if (step == Aggregator.Step.DRAIN) {
                    throw new IllegalStateException("drain held by the test");
                }
                if (step == Aggregator.Step.RETIRE && producerWaits.getCount() == 0) {
                    throw injected;
                }
            });
            int records = 5_000;
            AtomicInteger recorded = new AtomicInteger();
            Thread producer = new Thread(() -> {
                for (int i = 0; i < records; i++) {
                    gauge.set(i);
                    recorded.incrementAndGet();
                }
            }, "blocked-producer");
            producer.setDaemon(true);
            producer.start();
            awaitTrue("the producer to wait for ring space", () -> recorded.get() == 1024
                    && producer.getState() == Thread.State.TIMED_WAITING);
            producerWaits.countDown();

            awaitTrue("state FAILED", () -> engine.state() == EngineState.FAILED);
            producer.join(WAIT.toMillis());
            assertTrue(!producer.isAlive(), "the BLOCK producer was not released");
            assertEquals(records, recorded.get());
            EngineFailedException refused = assertThrows(EngineFailedException.class, engine::snapshot);
            assertSame(injected, refused.getCause());
            HealthCheckResult result = health.check();
            assertEquals(HealthStatus.CRITICAL, result.status());
            assertTrue(result.detail().contains("injected into ring retirement"), result.detail());

            engine.close();
            // The record that waited, and every one after it.
            assertEquals(records - 1024, storeCounter(engine, "streammetrics_events_dropped", "failed"));
            assertEquals(1.0, storeGauge(engine, "streammetrics_aggregator_failed"));
        } finally {
            engine.close();
        }
    }

    /** Exceptions are survived: counted, logged once, and the step's work is done on a later pass. */
    @Test
    void exceptionsAreSurvivedCountedAndLoggedOnce() throws Exception {
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).build().start()) {
            EngineCheck health = EngineCheck.of(engine);
            Counter counter = engine.counter("survived_total").register().labels();
            int failures = 20;
            AtomicInteger thrown = new AtomicInteger();
            engine.aggregator().stepHook(step -> {
                if (step == Aggregator.Step.COUNTER_SWEEP && thrown.get() < failures) {
                    thrown.incrementAndGet();
                    throw new IllegalStateException("injected into a counter sweep");
                }
            });
            counter.add(41);
            awaitTrue("the injected failures", () -> thrown.get() == failures);
            counter.increment();
            MetricsSnapshot snapshot = engine.snapshot();
            assertEquals(42, counterLong(snapshot, "survived"), "the sweep's work was done on a later pass");
            assertEquals(failures, counterLong(snapshot, "streammetrics_aggregator_errors"));
            assertEquals(EngineState.RUNNING, engine.state());
            assertEquals(failures, engine.status().aggregatorErrors());
            assertEquals(1, logged(Level.SEVERE).size(), "logged once");

            HealthCheckResult degraded = health.check();
            assertEquals(HealthStatus.DEGRADED, degraded.status(), degraded.detail());
            assertTrue(degraded.detail().contains("injected into a counter sweep"), degraded.detail());
            assertEquals(HealthStatus.HEALTHY, health.check().status(), "no new error since the last check");
        }
    }

    /** A step that fails on every pass is not getting its work done: after a second, the engine fails. */
    @Test
    void aStepThatFailsOnEveryPassFailsTheEngine() throws Exception {
        MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).build().start();
        try {
            IllegalStateException injected = new IllegalStateException("injected into every histogram sweep");
            engine.aggregator().stepHook(step -> {
                if (step == Aggregator.Step.HISTOGRAM_SWEEP) {
                    throw injected;
                }
            });
            awaitTrue("state FAILED", () -> engine.state() == EngineState.FAILED);
            Throwable failure = engine.status().failure();
            assertTrue(failure.getMessage().contains("HISTOGRAM_SWEEP"), failure.getMessage());
            assertSame(injected, failure.getCause());
            assertTrue(engine.status().aggregatorErrors() >= 3);
            assertThrows(EngineFailedException.class, engine::snapshot);
        } finally {
            engine.close();
        }
    }

    /** An error while close() applies the last records fails the engine rather than pass silently. */
    @Test
    void anErrorWhileClosingFailsTheEngine() {
        MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).build();
        Counter counter = engine.counter("closing_total").register().labels();
        counter.add(3);
        StackOverflowError injected = new StackOverflowError("injected into the closing drain");
        engine.aggregator().stepHook(step -> {
            if (step == Aggregator.Step.COUNTER_SWEEP) {
                throw injected;
            }
        });
        engine.close();
        assertEquals(EngineState.FAILED, engine.state());
        assertSame(injected, engine.status().failure());
        assertThrows(EngineFailedException.class, engine::snapshot);
    }

    /** The store's single writer is guarded: a second thread found writing fails the engine instead of writing. */
    @Test
    void aSecondWriterFailsTheEngineInsteadOfWriting() throws Exception {
        MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).build().start();
        try {
            CountDownLatch inPass = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            engine.aggregator().stepHook(step -> {
                if (step == Aggregator.Step.DRAIN && inPass.getCount() > 0) {
                    inPass.countDown();
                    release.await();
                }
            });
            assertTrue(inPass.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            // What close() does once the aggregator has stopped, done while it is in the middle of a pass.
            engine.aggregator().drainAfterStop();
            release.countDown();
            assertEquals(EngineState.FAILED, engine.state());
            assertTrue(engine.status().failure().getMessage().contains("two threads write the store"),
                    engine.status().failure().getMessage());
        } finally {
            engine.close();
        }
    }

    /** A health check tells a stalled aggregator (alive, but not passing) from a running one. */
    @Test
    void healthReportsAStalledAggregator() throws Exception {
        FaultyIdleStrategy stalling = new FaultyIdleStrategy();
        MetricsEngine engine = MetricsEngine.builder().idleStrategy(stalling).batchWindow(Duration.ZERO)
                .jvmMetrics(false).build();
        EngineCheck health = EngineCheck.of(engine, Duration.ofMillis(200));
        try {
            assertEquals(HealthStatus.DEGRADED, health.check().status(), "not started");
            engine.start();
            awaitHealthy(health);
            stalling.stall(true);
            awaitTrue("health critical while the aggregator stalls",
                    () -> health.check().status() == HealthStatus.CRITICAL);
            assertTrue(health.check().detail().contains("stalled"), health.check().detail());
            stalling.stall(false);
            awaitHealthy(health);
        } finally {
            stalling.stall(false);
            engine.close();
        }
        assertEquals(HealthStatus.CRITICAL, health.check().status(), "closed");
    }

    /** A snapshot that stops waiting for a stalled (not failed) aggregator says so: counted, and logged once. */
    @Test
    void aSnapshotThatStopsWaitingIsCounted() {
        FaultyIdleStrategy stalling = new FaultyIdleStrategy();
        MetricsEngine engine = MetricsEngine.builder().idleStrategy(stalling).batchWindow(Duration.ZERO)
                .jvmMetrics(false).build().start();
        try {
            Counter counter = engine.counter("stalled_ops_total").register().labels();
            assertEquals(0, counterLong(engine.snapshot(), "streammetrics_snapshot_timeouts"));
            stalling.stall(true);
            sleepMillis(50);
            counter.add(2);
            long started = System.nanoTime();
            engine.snapshot();
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(waitedMillis >= SNAPSHOT_TIMEOUT_MILLIS, "returned after " + waitedMillis + " ms");
            stalling.stall(false);
            MetricsSnapshot after = engine.snapshot();
            assertEquals(1, counterLong(after, "streammetrics_snapshot_timeouts"));
            assertEquals(2, counterLong(after, "stalled_ops"));
            assertEquals(EngineState.RUNNING, engine.state(), "a stall is not a failure");
            assertEquals(1, logged(Level.WARNING).size(), "logged once");
        } finally {
            // Before close(), which waits for the aggregator to leave its idle wait.
            stalling.stall(false);
            engine.close();
        }
    }

    private static HealthCheckResult awaitHealthy(EngineCheck health) {
        awaitTrue("health healthy", () -> health.check().status() == HealthStatus.HEALTHY);
        return health.check();
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - deadline < 0, "timed out after " + WAIT + " waiting for " + what);
            sleepMillis(1);
        }
    }

    private static void runToCompletion(String what, Runnable body) throws InterruptedException {
        Thread thread = new Thread(body, what);
        thread.setDaemon(true);
        thread.start();
        thread.join(WAIT.toMillis());
        assertTrue(!thread.isAlive(), what + " did not finish within " + WAIT);
    }

    /** A counter's total as the store holds it (what a reader of the store file sees). */
    private static long storeCounter(MetricsEngine engine, String family, String... labels) {
        MetricRegistry registry = engine.registry();
        return engine.store().counterLongValue(registry.series(registry.family(family), labels).id());
    }

    private static double storeGauge(MetricsEngine engine, String family) {
        MetricRegistry registry = engine.registry();
        return engine.store().gaugeValue(registry.series(registry.family(family)).id());
    }

    /** A visitor that reads nothing: for the streaming snapshot's refusal. */
    private static final class CountingVisitor implements io.streammetrics.snapshot.SeriesVisitor {
        @Override
        public void family(io.streammetrics.metadata.FamilyMetadata family, long timestampMillis) {
        }

        @Override
        public void series(io.streammetrics.snapshot.SeriesCursor cursor) {
        }
    }
}
