package io.streammetrics;

import io.streammetrics.metric.Counter;
import io.streammetrics.metric.Histogram;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.internal.store.StoreLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.streammetrics.EngineTestSupport.awaitSnapshot;
import static io.streammetrics.EngineTestSupport.counterLong;
import static io.streammetrics.EngineTestSupport.dropped;
import static io.streammetrics.EngineTestSupport.histogram;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Start, close and the store's lifetime: nothing published before close is lost, and snapshots outlive close. */
class LifecycleTest {
    private static final int BIG_RING = 1 << 18;
    private static final int RECORDS = 200_000;

    @Test
    void closeIsIdempotent() {
        MetricsEngine engine = MetricsEngine.builder().build().start();
        Counter counter = engine.counter("idempotent_total").register().labels();
        counter.add(4);
        assertFalse(engine.isClosed());
        engine.close();
        assertTrue(engine.isClosed());
        assertDoesNotThrow(engine::close);
        assertDoesNotThrow(engine::close);
        assertTrue(engine.isClosed());
        MetricsSnapshot snapshot = engine.snapshot();
        assertEquals(4, counterLong(snapshot, "idempotent"));
        assertEquals(0, dropped(snapshot, "closed"));
        assertThrows(IllegalStateException.class, engine::start, "a closed engine cannot start again");
    }

    @Test
    void startIsIdempotent() {
        try (MetricsEngine engine = MetricsEngine.builder().build()) {
            assertSame(engine, engine.start());
            assertSame(engine, engine.start());
            engine.counter("started_twice_total").register().labels().increment();
            engine.close();
            assertEquals(1, counterLong(engine.snapshot(), "started_twice"));
        }
    }

    @Test
    void closeAppliesEverythingPublishedWhileRunning() {
        try (MetricsEngine engine = MetricsEngine.builder().ringSize(BIG_RING).backPressure(BackPressure.DROP)
                .build().start()) {
            Counter counter = engine.counter("drain_running_total").register().labels();
            Histogram histogram = engine.histogram("drain_running_values").register().labels();
            long sum = 0;
            for (int i = 0; i < RECORDS / 2; i++) {
                counter.increment();
                histogram.record(i);
                sum += i;
            }
            engine.close();

            MetricsSnapshot snapshot = engine.snapshot();
            assertEquals(RECORDS / 2, counterLong(snapshot, "drain_running"));
            assertEquals(RECORDS / 2, histogram(snapshot, "drain_running_values").count());
            assertEquals(sum, histogram(snapshot, "drain_running_values").sum());
            assertEquals(0, dropped(snapshot, "ring_full"));
            assertEquals(0, dropped(snapshot, "closed"));
        }
    }

    /** Records wait in the ring before start; start then close at once: close must drain them all. */
    @Test
    void closeRightAfterStartAppliesEverythingBufferedBeforeStart() {
        try (MetricsEngine engine = MetricsEngine.builder().ringSize(BIG_RING).backPressure(BackPressure.DROP).build()) {
            Counter counter = engine.counter("drain_buffered_total").register().labels();
            for (int i = 0; i < RECORDS; i++) {
                counter.increment();
            }
            engine.start();
            engine.close();
            MetricsSnapshot snapshot = engine.snapshot();
            assertEquals(RECORDS, counterLong(snapshot, "drain_buffered"));
            assertEquals(0, dropped(snapshot, "ring_full"));
        }
    }

    @Test
    void closeWithoutStartAppliesEverythingBuffered() {
        try (MetricsEngine engine = MetricsEngine.builder().ringSize(1024).build()) {
            Counter counter = engine.counter("never_started_total").register().labels();
            counter.add(1000);
            counter.add(24);
            engine.close();
            assertEquals(1024, counterLong(engine.snapshot(), "never_started"));
        }
    }

    @Test
    void recordBeforeStartIsAppliedAfterStart() {
        try (MetricsEngine engine = MetricsEngine.builder().build()) {
            Counter counter = engine.counter("early_total").register().labels();
            Histogram histogram = engine.histogram("early_values").register().labels();
            counter.add(5);
            histogram.record(250);
            // No aggregator yet: the records wait in the ring.
            MetricsSnapshot before = engine.snapshot();
            assertEquals(0, counterLong(before, "early"));
            assertEquals(0, histogram(before, "early_values").count());

            engine.start();
            MetricsSnapshot after = awaitSnapshot(engine, "records made before start",
                    s -> counterLong(s, "early") == 5 && histogram(s, "early_values").count() == 1);
            assertEquals(250, histogram(after, "early_values").sum());
            assertFalse(engine.isClosed(), "applied by the running aggregator, not by close");
        }
    }

    @Test
    void snapshotWorksAfterClose() {
        MetricsEngine engine = MetricsEngine.builder().build().start();
        Counter counter = engine.counter("after_close_snapshot_total").labelNames("k").register().labels("v");
        counter.add(3);
        engine.close();
        MetricsSnapshot first = engine.snapshot();
        MetricsSnapshot second = engine.snapshot();
        assertEquals(3, counterLong(first, "after_close_snapshot", "v"));
        assertEquals(3, counterLong(second, "after_close_snapshot", "v"));
        assertEquals(counterLong(first, "streammetrics_events_published"),
                counterLong(first, "streammetrics_events_applied"));
    }

    @Test
    void lifecycleStates() {
        MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).build();
        assertEquals(EngineState.NEW, engine.state());
        assertSame(engine, engine.start());
        assertEquals(EngineState.RUNNING, engine.state());
        engine.close();
        assertEquals(EngineState.CLOSED, engine.state());
        IllegalStateException refused = assertThrows(IllegalStateException.class, engine::start);
        assertEquals("engine is closed", refused.getMessage());

        MetricsEngine neverStarted = MetricsEngine.builder().jvmMetrics(false).build();
        neverStarted.close();
        assertEquals(EngineState.CLOSED, neverStarted.state());
        assertThrows(IllegalStateException.class, neverStarted::start);
        assertFalse(neverStarted.aggregator().threadAlive(), "a closed engine never starts its aggregator");
    }

    /** Concurrent close() calls: each returns only once the engine is closed (not while another is closing it). */
    @Test
    void everyConcurrentCloseReturnsClosed() throws Exception {
        for (int round = 0; round < 50; round++) {
            MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).maxHistograms(1).histogramCellMemory(0)
                    .build().start();
            Counter counter = engine.counter("closers_total").register().labels();
            counter.add(3);
            int closers = 3;
            CyclicBarrier together = new CyclicBarrier(closers);
            List<EngineState> seen = new CopyOnWriteArrayList<>();
            EngineTestSupport.runProducers(closers, t -> {
                together.await();
                engine.close();
                seen.add(engine.state());
            });
            assertEquals(List.of(EngineState.CLOSED, EngineState.CLOSED, EngineState.CLOSED), seen, "round " + round);
            assertEquals(3, counterLong(engine.snapshot(), "closers"));
        }
    }

    /**
     * Issue 15, item 3: {@code start()} racing {@code close()} must never leave an aggregator running after
     * {@code close()} returned, which would write the store beside the closing thread and every later snapshot.
     */
    @Test
    void startRacingCloseNeverLeavesAWriterRunning() throws Exception {
        Set<Thread> before = aggregatorThreads();
        int rounds = 2_000;
        int startWon = 0;
        SplittableRandom random = new SplittableRandom(15);
        for (int round = 0; round < rounds; round++) {
            MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).ringSize(64).maxSeries(64)
                    .maxFamilies(32).maxHistograms(1).histogramCellMemory(0).build();
            Counter counter = engine.counter("race_total").register().labels();
            counter.add(7);
            // Both calls leave a spinning start line together, each after its own random delay, so that over the
            // rounds every interleaving of the two calls' steps is tried.
            AtomicBoolean ready = new AtomicBoolean();
            AtomicBoolean go = new AtomicBoolean();
            int startDelay = random.nextInt(1_000);
            int closeDelay = random.nextInt(1_000);
            AtomicReference<Throwable> startFailure = new AtomicReference<>();
            Thread starter = new Thread(() -> {
                ready.set(true);
                while (!go.get()) {
                    Thread.onSpinWait();
                }
                spin(startDelay);
                try {
                    engine.start();
                } catch (Throwable e) {
                    startFailure.set(e);
                }
            }, "race-start");
            starter.start();
            while (!ready.get()) {
                Thread.onSpinWait();
            }
            go.set(true);
            spin(closeDelay);
            engine.close();
            starter.join();
            Throwable failure = startFailure.get();
            if (failure == null) {
                startWon++;
            } else {
                assertTrue(failure instanceof IllegalStateException, () -> "start() failed with " + failure);
            }
            Set<Thread> alive = aggregatorThreads();
            alive.removeAll(before);
            for (Thread rogue : alive) {
                rogue.interrupt();
            }
            assertTrue(alive.isEmpty(), "round " + round + ": an aggregator thread runs after close() returned: "
                    + alive);
            assertTrue(engine.isClosed());
            // CLOSED, not FAILED: the aggregator's writer guard never saw two writers at once.
            assertEquals(EngineState.CLOSED, engine.state(), "round " + round);
            assertFalse(engine.aggregator().threadAlive(), "round " + round);
            assertEquals(7, counterLong(engine.snapshot(), "race"), "round " + round);
        }
        System.out.printf("start() won the race %d of %d rounds%n", startWon, rounds);
    }

    private static void spin(int iterations) {
        for (int i = 0; i < iterations; i++) {
            Thread.onSpinWait();
        }
    }

    private static Set<Thread> aggregatorThreads() {
        Set<Thread> threads = new HashSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("streammetrics-aggregator") && thread.isAlive()) {
                threads.add(thread);
            }
        }
        return threads;
    }

    @Test
    void anonymousStoreHasNoFile() {
        try (MetricsEngine engine = MetricsEngine.builder().build()) {
            assertNull(engine.storeFile());
        }
    }

    @Test
    void memoryMappedStoreCreatesTheFileAndSnapshotsWork(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("metrics.store");
        try (MetricsEngine engine = MetricsEngine.builder().maxSeries(256).maxHistograms(8).storeFile(file)
                .build().start()) {
            assertTrue(Files.exists(file), "store file created at build");
            assertEquals(file.toFile().getAbsoluteFile(), engine.storeFile().getAbsoluteFile());
            assertEquals(engine.store().bytesTaken(), Files.size(file), "the file holds the segments taken");
            assertEquals(StoreLayout.MAGIC, readInt(file, StoreLayout.MAGIC_OFFSET));
            assertEquals(StoreLayout.STATE_RUNNING, readInt(file, StoreLayout.STATE_OFFSET));

            Counter counter = engine.counter("mapped_total").register().labels();
            Histogram histogram = engine.histogram("mapped_values").register().labels();
            counter.add(12);
            histogram.record(30);
            histogram.record(50);
            MetricsSnapshot running = awaitSnapshot(engine, "records in the mapped store",
                    s -> counterLong(s, "mapped") == 12 && histogram(s, "mapped_values").count() == 2);
            assertEquals(80, histogram(running, "mapped_values").sum());

            engine.close();
            MetricsSnapshot closed = engine.snapshot();
            assertEquals(12, counterLong(closed, "mapped"));
            assertEquals(80, histogram(closed, "mapped_values").sum());
            assertEquals(StoreLayout.STATE_CLOSED, readInt(file, StoreLayout.STATE_OFFSET), "close marks the file");
        }
    }

    private static int readInt(Path file, int offset) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder());
            channel.read(buffer, offset);
            return buffer.getInt(0);
        }
    }
}
