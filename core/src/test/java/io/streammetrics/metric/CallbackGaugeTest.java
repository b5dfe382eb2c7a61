package io.streammetrics.metric;

import io.streammetrics.MetricsEngine;
import io.streammetrics.snapshot.MetricsSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.streammetrics.EngineTestSupport.awaitSnapshot;
import static io.streammetrics.EngineTestSupport.counterLong;
import static io.streammetrics.EngineTestSupport.gauge;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Callback gauges are sampled at snapshot time; a failing callback is isolated, keeps its last value and is counted. */
class CallbackGaugeTest {
    private MetricsEngine engine;

    @BeforeEach
    void setUp() {
        engine = MetricsEngine.builder().maxHistograms(4).build().start();
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    /**
     * Each published sample is a ring event for the aggregator: a sample equal to the last one is published again
     * only once a second, which keeps the store's copy (what readers in other processes see) right and its update
     * time moving, without an event per gauge and snapshot.
     */
    @Test
    void unchangedSamplesReachTheStoreOnceASecondAndChangesAtOnce() throws InterruptedException {
        AtomicReference<Double> level = new AtomicReference<>(5.0);
        GaugeFamily family = engine.gauge("tank_level").register();
        family.callback(level::get);
        int id = family.labels().seriesId();
        engine.snapshot();
        engine.snapshot();
        assertEquals(5.0, engine.store().gaugeValue(id), "published on the first sample");
        long updates = engine.store().updates(id);
        long started = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            engine.snapshot();
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        engine.snapshot();
        assertTrue(engine.store().updates(id) - updates <= seconds + 2, "200 snapshots of an unchanged gauge published "
                + (engine.store().updates(id) - updates) + " times in about " + seconds + " s");
        level.set(6.5);
        engine.snapshot();
        engine.snapshot();
        assertEquals(6.5, engine.store().gaugeValue(id), "a change is published by the snapshot that samples it");
        long beforePause = engine.store().updates(id);
        Thread.sleep(1_100);
        engine.snapshot();
        engine.snapshot();
        assertTrue(engine.store().updates(id) > beforePause, "republished after a second");
    }

    @Test
    void callbackValueAppearsAndFollowsTheSupplier() {
        GaugeFamily family = engine.gauge("room_temperature").labelNames("room").register();
        AtomicReference<Double> kitchen = new AtomicReference<>(21.5);
        family.callback(kitchen::get, "kitchen");
        family.callback(() -> 18.0, "cellar");
        GaugeFamily queue = engine.gauge("queue_depth").register();
        AtomicInteger depth = new AtomicInteger(3);
        queue.callback(depth::get);

        MetricsSnapshot first = engine.snapshot();
        assertEquals(21.5, gauge(first, "room_temperature", "kitchen").value());
        assertEquals(18.0, gauge(first, "room_temperature", "cellar").value());
        assertEquals(3.0, gauge(first, "queue_depth").value());

        kitchen.set(-4.25);
        depth.set(17);
        MetricsSnapshot second = engine.snapshot();
        assertEquals(-4.25, gauge(second, "room_temperature", "kitchen").value());
        assertEquals(17.0, gauge(second, "queue_depth").value());

        // Binding again replaces the supplier.
        family.callback(() -> 99.0, "kitchen");
        assertEquals(99.0, gauge(engine.snapshot(), "room_temperature", "kitchen").value());
        assertEquals(0, counterLong(engine.snapshot(), "streammetrics_callback_errors"));
    }

    @Test
    void callbackValueSurvivesClose() {
        GaugeFamily family = engine.gauge("pool_size").register();
        AtomicInteger size = new AtomicInteger(8);
        family.callback(size::get);
        engine.close();
        size.set(9);
        assertEquals(9.0, gauge(engine.snapshot(), "pool_size").value());
    }

    @Test
    void throwingCallbackIsIsolatedKeepsItsLastValueAndIsCounted() {
        GaugeFamily family = engine.gauge("flaky_source").labelNames("name").register();
        AtomicBoolean fail = new AtomicBoolean();
        AtomicInteger calls = new AtomicInteger();
        family.callback(() -> {
            calls.incrementAndGet();
            if (fail.get()) {
                throw new IllegalStateException("source unavailable");
            }
            return 42.0;
        }, "a");
        family.callback(() -> 7.0, "b");
        Gauge direct = engine.gauge("direct_gauge").register().labels();
        direct.set(5);
        Counter counter = engine.counter("beside_flaky_total").register().labels();
        counter.add(11);

        assertEquals(42.0, gauge(engine.snapshot(), "flaky_source", "a").value());
        fail.set(true);
        int failures = 3;
        for (int i = 0; i < failures; i++) {
            MetricsSnapshot snapshot = assertDoesNotThrow(() -> engine.snapshot());
            assertEquals(42.0, gauge(snapshot, "flaky_source", "a").value(), "keeps its last good value");
            assertEquals(7.0, gauge(snapshot, "flaky_source", "b").value(), "other callbacks still sampled");
        }
        assertEquals(1 + failures, calls.get());

        // Stop failing, so that waiting for the aggregator's refresh adds no failures of its own.
        fail.set(false);
        MetricsSnapshot refreshed = awaitSnapshot(engine, "callback errors to reach " + failures,
                s -> counterLong(s, "streammetrics_callback_errors") >= failures
                        && gauge(s, "direct_gauge").value() == 5.0
                        && counterLong(s, "beside_flaky") == 11);
        assertEquals(failures, counterLong(refreshed, "streammetrics_callback_errors"));
        assertEquals(42.0, gauge(refreshed, "flaky_source", "a").value());
        assertEquals(5.0, gauge(refreshed, "direct_gauge").value());

        // An Error is isolated too.
        family.callback(() -> {
            throw new AssertionError("boom");
        }, "b");
        MetricsSnapshot afterError = assertDoesNotThrow(() -> engine.snapshot());
        assertEquals(7.0, gauge(afterError, "flaky_source", "b").value());
        family.callback(() -> 8.0, "b");
        MetricsSnapshot last = awaitSnapshot(engine, "callback errors to reach " + (failures + 1),
                s -> counterLong(s, "streammetrics_callback_errors") >= failures + 1);
        assertEquals(failures + 1, counterLong(last, "streammetrics_callback_errors"));
        assertEquals(8.0, gauge(last, "flaky_source", "b").value());
    }

    @Test
    void nullSupplierIsRejected() {
        GaugeFamily family = engine.gauge("null_supplier").register();
        assertThrows(NullPointerException.class, () -> family.callback(null));
    }

    /**
     * Sampling callbacks is the snapshot side's work: a thread that only takes snapshots claims no producer ring
     * (it used to publish every changed sample on a ring of its own, a megabyte at the default ring size for each
     * scraping or evaluating thread), and the store still gets the values, for readers of the store file.
     */
    @Test
    void aThreadThatOnlyTakesSnapshotsClaimsNoProducerRing() throws InterruptedException {
        AtomicInteger level = new AtomicInteger(1);
        GaugeFamily gauges = engine.gauge("reader_level").register();
        gauges.callback(level::get);
        AtomicInteger total = new AtomicInteger(10);
        engine.counter("reader_reads_total").register().callback(total::get);
        int gaugeId = gauges.labels().seriesId();
        AtomicReference<MetricsSnapshot> last = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            for (int i = 0; i < 5; i++) {
                level.incrementAndGet();
                total.addAndGet(5);
                engine.snapshot();
            }
            // This snapshot's wait refreshes the self-metrics while the reader is alive and would hold its ring.
            last.set(engine.snapshot());
        }, "snapshot-only-reader");
        reader.start();
        reader.join();
        MetricsSnapshot seen = last.get();
        assertEquals(0.0, gauge(seen, "streammetrics_ring_producers").value(),
                "threads holding a dedicated producer ring while only snapshots were taken");
        assertEquals(6.0, gauge(seen, "reader_level").value());
        assertEquals(35, counterLong(seen, "reader_reads"));
        assertEquals(6.0, engine.store().gaugeValue(gaugeId), "the store has the gauge's sample");
    }
}
