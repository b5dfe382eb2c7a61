package io.streammetrics.internal.aggregate;

import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Gauge;
import io.streammetrics.snapshot.MetricsSnapshot;
import org.junit.jupiter.api.Test;

import static io.streammetrics.EngineTestSupport.gauge;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code streammetrics_ring_fill_ratio} is the remaining-capacity reading as a share of the ring. */
class RingFillRatioTest {
    private static final int RING_SIZE = 1024;

    @Test
    void fillRatioIsTheUsedShareOfTheFullestRing() {
        try (MetricsEngine engine = MetricsEngine.builder().ringSize(RING_SIZE).backPressure(BackPressure.BLOCK)
                .build().start()) {
            Gauge level = engine.gauge("fill_test_level").register().labels();
            for (int i = 0; i < 10 * RING_SIZE; i++) {
                level.set(i);
            }
            MetricsSnapshot snapshot = engine.snapshot();
            double remaining = gauge(snapshot, "streammetrics_ring_remaining_capacity").value();
            double fill = gauge(snapshot, "streammetrics_ring_fill_ratio").value();
            assertEquals(1.0 - remaining / RING_SIZE, fill, 1e-12);
            // The snapshot waited for every record to be applied, and the refresh it asked for came after that.
            assertEquals(0.0, fill, "a drained ring is empty");
            assertEquals(10 * RING_SIZE - 1, gauge(snapshot, "fill_test_level").value());
        }
    }
}
