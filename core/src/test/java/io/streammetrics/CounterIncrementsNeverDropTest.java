package io.streammetrics;

import io.streammetrics.metric.Counter;
import io.streammetrics.snapshot.MetricsSnapshot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.streammetrics.EngineTestSupport.counterLong;
import static io.streammetrics.EngineTestSupport.dropped;
import static io.streammetrics.EngineTestSupport.runProducers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Integer counter increments never wait and are never dropped, for every recording thread: also for threads beyond
 * {@code maxProducerRings} and for many short-lived threads within the ring-retire interval, which share the
 * multi-producer ring (issue 15, item 1). Under both back-pressure policies.
 */
class CounterIncrementsNeverDropTest {

    /** The first figure: 3.97 M of 10 M dropped with {@code maxProducerRings(1)} and 2 threads. */
    @ParameterizedTest
    @EnumSource(BackPressure.class)
    void threadsBeyondMaxProducerRingsCountExactly(BackPressure policy) throws Exception {
        int threads = 2;
        int increments = 5_000_000;
        try (MetricsEngine engine = MetricsEngine.builder().maxProducerRings(1).backPressure(policy).build().start()) {
            Counter counter = engine.counter("beyond_rings_total").register().labels();
            runProducers(threads, t -> {
                for (int i = 0; i < increments; i++) {
                    counter.increment();
                }
            });
            MetricsSnapshot running = engine.snapshot();
            assertEquals((long) threads * increments, counterLong(running, "beyond_rings"), "read while running");
            engine.close();
            MetricsSnapshot snapshot = engine.snapshot();
            assertEquals((long) threads * increments, counterLong(snapshot, "beyond_rings"));
            assertEquals(0, dropped(snapshot, "ring_full"));
        }
    }

    /** The second figure: 1.26 M of 2 M dropped with 200 short-lived threads at the defaults. */
    @ParameterizedTest
    @EnumSource(BackPressure.class)
    void manyShortLivedThreadsCountExactly(BackPressure policy) throws Exception {
        int threads = 200;
        int increments = 10_000;
        try (MetricsEngine engine = MetricsEngine.builder().backPressure(policy).build().start()) {
            Counter counter = engine.counter("short_lived_crowd_total").register().labels();
            // Amounts other than one too: add(long) takes the same path as increment().
            runProducers(threads, t -> {
                for (int i = 0; i < increments / 2; i++) {
                    counter.increment();
                    counter.add(3L);
                }
            });
            long expected = (long) threads * (increments / 2) * 4;
            assertEquals(expected, counterLong(engine.snapshot(), "short_lived_crowd"), "read while running");
            engine.close();
            MetricsSnapshot snapshot = engine.snapshot();
            assertEquals(expected, counterLong(snapshot, "short_lived_crowd"));
            assertEquals(0, dropped(snapshot, "ring_full"));
        }
    }

    /**
     * With the aggregator not running, nothing frees a ring slot: a counter increment that travelled as a ring event
     * would wait for ever under BLOCK and be dropped under DROP once the shared ring holds 1,024 events. Every thread
     * must finish, and every increment must be applied when the engine starts and closes.
     */
    @ParameterizedTest
    @EnumSource(BackPressure.class)
    void incrementsNeverWaitForTheAggregator(BackPressure policy) throws Exception {
        int threads = 6;
        int increments = 100_000;
        MetricsEngine engine = MetricsEngine.builder().ringSize(1024).maxProducerRings(1).backPressure(policy)
                .jvmMetrics(false).build();
        try {
            Counter counter = engine.counter("never_waits_total").labelNames("thread").register().labels("all");
            CountDownLatch done = new CountDownLatch(threads);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Counter mine = engine.counter("never_waits_total").labelNames("thread").register().labels("t" + t);
                Thread worker = new Thread(() -> {
                    for (int i = 0; i < increments; i++) {
                        counter.increment();
                        mine.add(2L);
                    }
                    done.countDown();
                }, "never-waits-" + t);
                worker.setDaemon(true);
                workers.add(worker);
                worker.start();
            }
            assertTrue(done.await(20, TimeUnit.SECONDS), (threads - done.getCount()) + " of " + threads
                    + " threads finished with the aggregator not running: counter increments waited for ring space");
            engine.start();
            engine.close();
            MetricsSnapshot snapshot = engine.snapshot();
            assertEquals((long) threads * increments, counterLong(snapshot, "never_waits", "all"));
            for (int t = 0; t < threads; t++) {
                assertEquals(2L * increments, counterLong(snapshot, "never_waits", "t" + t), "thread " + t);
            }
            assertEquals(0, dropped(snapshot, "ring_full"));
            assertEquals(0, dropped(snapshot, "closed"));
        } finally {
            // Releases producers still waiting (old code under BLOCK) so that the test ends.
            engine.close();
        }
    }
}
