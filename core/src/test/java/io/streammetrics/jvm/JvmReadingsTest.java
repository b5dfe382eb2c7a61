package io.streammetrics.jvm;

import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.snapshot.MetricsSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.streammetrics.EngineTestSupport.counter;
import static io.streammetrics.EngineTestSupport.gauge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JVM and process readings are taken off the snapshot path: snapshots sample the values of the last refresh, the
 * background thread refreshes them at the interval until the engine closes, a failing reading is reported as a failing
 * callback, and an interval of 0 reads on every snapshot as before.
 */
class JvmReadingsTest {
    private static MetricsEngine engine() {
        return MetricsEngine.builder().backPressure(BackPressure.BLOCK).jvmMetrics(false).build().start();
    }

    @Test
    void snapshotsSampleTheLastRefreshNotTheSource() {
        try (MetricsEngine engine = engine()) {
            AtomicInteger reads = new AtomicInteger();
            JvmReadings readings = new JvmReadings(TimeUnit.HOURS.toNanos(1));
            engine.gauge("probe_reads").register().callback(readings.cached(reads::incrementAndGet));
            readings.start(engine);
            assertEquals(1, reads.get(), "the first reading is taken on registration");
            for (int i = 0; i < 50; i++) {
                assertEquals(1.0, gauge(engine.snapshot(), "probe_reads").value());
            }
            assertEquals(1, reads.get(), "50 snapshots read nothing themselves");
            readings.refresh();
            assertEquals(2.0, gauge(engine.snapshot(), "probe_reads").value());
        }
    }

    @Test
    void theBackgroundThreadRefreshesAtTheIntervalUntilTheEngineCloses() throws InterruptedException {
        AtomicInteger reads = new AtomicInteger();
        MetricsEngine engine = engine();
        try {
            JvmReadings readings = new JvmReadings(TimeUnit.MILLISECONDS.toNanos(20));
            engine.counter("probe_refreshes").register().callback(readings.cached(reads::incrementAndGet));
            readings.start(engine);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (counter(engine.snapshot(), "probe_refreshes").value() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(counter(engine.snapshot(), "probe_refreshes").value() >= 5, "refreshed without a snapshot "
                    + "reading: " + reads.get() + " reads");
        } finally {
            engine.close();
        }
        // A refresh may be under way while the engine closes; after it, none.
        Thread.sleep(100);
        int afterClose = reads.get();
        Thread.sleep(400);
        assertEquals(afterClose, reads.get(), "20 intervals after close, no more reads");
    }

    @Test
    void aFailingReadingIsReportedAsAFailingCallbackAndTheOthersGoOn() {
        try (MetricsEngine engine = engine()) {
            JvmReadings readings = new JvmReadings(TimeUnit.HOURS.toNanos(1));
            boolean[] fail = {false};
            engine.gauge("probe_fragile").register().callback(readings.cached(() -> {
                if (fail[0]) {
                    throw new IllegalStateException("bean gone");
                }
                return 7;
            }));
            engine.gauge("probe_steady").register().callback(readings.cached(() -> 3));
            readings.start(engine);
            assertEquals(7.0, gauge(engine.snapshot(), "probe_fragile").value());
            fail[0] = true;
            readings.refresh();
            MetricsSnapshot snapshot = engine.snapshot();
            assertEquals(7.0, gauge(snapshot, "probe_fragile").value(), "the series keeps its last value");
            assertEquals(3.0, gauge(snapshot, "probe_steady").value());
            assertTrue(counter(engine.snapshot(), "streammetrics_callback_errors").value() >= 1,
                    "counted as a callback failure");
            fail[0] = false;
            readings.refresh();
            engine.snapshot();
            assertEquals(7.0, gauge(engine.snapshot(), "probe_fragile").value());
        }
    }

    @Test
    void anIntervalOfZeroReadsOnEverySnapshot() {
        try (MetricsEngine engine = engine()) {
            AtomicInteger reads = new AtomicInteger();
            JvmReadings readings = new JvmReadings(0);
            engine.gauge("probe_live").register().callback(readings.cached(reads::incrementAndGet));
            readings.start(engine);
            engine.snapshot();
            engine.snapshot();
            assertEquals(2, reads.get());
            assertEquals(0, readings.size(), "nothing to refresh in the background");
        }
    }

    @Test
    void theEngineRefreshesItsJvmMetricsAtTheConfiguredInterval() throws InterruptedException {
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetricsRefreshInterval(Duration.ofMillis(50)).build()
                .start()) {
            double first = gauge(engine.snapshot(), "process_uptime_seconds").value();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            double later = first;
            while (later == first && System.nanoTime() < deadline) {
                Thread.sleep(10);
                later = gauge(engine.snapshot(), "process_uptime_seconds").value();
            }
            assertTrue(later > first, "uptime refreshed from " + first);
        }
    }

    @Test
    void badIntervalsAreRejectedNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JvmMetrics.builder().refreshInterval(Duration.ofMillis(-1)));
        assertTrue(e.getMessage().contains("refresh interval"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JvmMetrics.builder().refreshInterval(Duration.ofMillis(5)));
        assertThrows(IllegalArgumentException.class,
                () -> MetricsEngine.builder().jvmMetricsRefreshInterval(Duration.ofNanos(1)));
        JvmMetrics.builder().refreshInterval(Duration.ZERO).refreshInterval(Duration.ofMillis(10));
    }
}
