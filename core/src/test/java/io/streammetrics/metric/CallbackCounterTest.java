package io.streammetrics.metric;

import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.common.Unit;
import io.streammetrics.internal.store.MetricStore;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.MetricsSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.streammetrics.EngineTestSupport.awaitSnapshot;
import static io.streammetrics.EngineTestSupport.counter;
import static io.streammetrics.EngineTestSupport.counterLong;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Callback counters export a cumulative total kept elsewhere, sampled at snapshot time; they never go backwards, and
 * a failing supplier is isolated and counted.
 */
class CallbackCounterTest {
    private MetricsEngine engine;

    @BeforeEach
    void setUp() {
        engine = MetricsEngine.builder().maxHistograms(4).backPressure(BackPressure.BLOCK).build().start();
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    @Test
    void totalFollowsTheSupplierPerLabelSet() {
        CounterFamily family = engine.counter("cpu_time_seconds_total").unit(Unit.SECONDS).labelNames("mode").register();
        AtomicReference<Double> user = new AtomicReference<>(1.25);
        family.callback(user::get, "user");
        family.callback(() -> 0.5, "system");

        MetricsSnapshot first = engine.snapshot();
        assertEquals(1.25, counter(first, "cpu_time_seconds", "user").value());
        assertEquals(1L, counter(first, "cpu_time_seconds", "user").longValue());
        assertEquals(0.5, counter(first, "cpu_time_seconds", "system").value());

        user.set(3.75);
        assertEquals(3.75, counter(engine.snapshot(), "cpu_time_seconds", "user").value());
    }

    @Test
    void aSampleBelowThePreviousOneIsIgnored() {
        CounterFamily family = engine.counter("collections_total").register();
        AtomicReference<Double> total = new AtomicReference<>(10.0);
        family.callback(total::get);
        assertEquals(10.0, counter(engine.snapshot(), "collections").value());

        for (double bad : new double[] {4.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY}) {
            total.set(bad);
            assertEquals(10.0, counter(engine.snapshot(), "collections").value(), "after a sample of " + bad);
        }
        total.set(12.0);
        assertEquals(12.0, counter(engine.snapshot(), "collections").value());
    }

    @Test
    void theStoreHoldsTheSampledTotalForOtherReaders() {
        CounterFamily family = engine.counter("started_threads_total").register();
        AtomicReference<Double> total = new AtomicReference<>(7.0);
        family.callback(total::get);
        engine.snapshot();
        total.set(19.5);
        engine.snapshot();
        int seriesId = counter(engine.snapshot(), "started_threads").seriesId();
        MetricStore store = engine.store();
        // The growth reaches the store through the ring: wait for the aggregator to apply the last one.
        awaitSnapshot(engine, "the store to hold 19.5",
                s -> store.counterValue(seriesId) == 19.5);
    }

    @Test
    void throwingSupplierIsIsolatedKeepsItsTotalAndIsCounted() {
        CounterFamily family = engine.counter("flaky_total").register();
        AtomicBoolean fail = new AtomicBoolean();
        family.callback(() -> {
            if (fail.get()) {
                throw new IllegalStateException("bean gone");
            }
            return 5.0;
        });
        assertEquals(5.0, counter(engine.snapshot(), "flaky").value());
        fail.set(true);
        CounterPoint kept = counter(assertDoesNotThrow(() -> engine.snapshot()), "flaky");
        assertEquals(5.0, kept.value());
        fail.set(false);
        MetricsSnapshot counted = awaitSnapshot(engine, "one callback error",
                s -> counterLong(s, "streammetrics_callback_errors") >= 1);
        assertEquals(1, counterLong(counted, "streammetrics_callback_errors"));
    }

    @Test
    void nullSupplierIsRejected() {
        CounterFamily family = engine.counter("null_supplier_total").register();
        assertThrows(NullPointerException.class, () -> family.callback(null));
    }
}
