package io.streammetrics.metric;

import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.MetricsSnapshot;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A counter never goes negative, nor backwards: past {@code Long.MAX_VALUE} its integer part carries into its double
 * part (issue 15, item 4), whichever way the increments travel (the thread's counter cell, or ring events).
 */
class CounterWrapTest {
    private static final double TWO_MAX = new BigInteger(Long.toString(Long.MAX_VALUE)).shiftLeft(1).doubleValue();

    private static CounterPoint point(MetricsSnapshot snapshot) {
        return (CounterPoint) snapshot.family("huge").points().get(0);
    }

    @Test
    void twoMaxIncrementsBeforeOneSweepMakeTwiceMax() {
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).build()) {
            Counter counter = engine.counter("huge_total").register().labels();
            // Not started: both increments sit in the thread's cell until the first sweep takes them as one delta.
            counter.add(Long.MAX_VALUE);
            counter.add(Long.MAX_VALUE);
            engine.start();
            CounterPoint point = point(engine.snapshot());
            assertEquals(TWO_MAX, point.value());
            assertEquals(Long.MAX_VALUE, point.longValue(), "the exact integer part saturates");
        }
    }

    @Test
    void aCounterPassingMaxNeverGoesBackwards() {
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).build().start()) {
            Counter counter = engine.counter("huge_total").register().labels();
            double previous = 0;
            for (int i = 0; i < 5; i++) {
                counter.add(Long.MAX_VALUE / 2);
                counter.add(3);
                CounterPoint point = point(engine.snapshot());
                assertTrue(point.value() > 0, "negative after " + (i + 1) + " rounds: " + point.value());
                assertTrue(point.value() >= previous, point.value() + " after " + previous);
                previous = point.value();
            }
            assertEquals(5 * (Long.MAX_VALUE / 2 + 3.0), previous, 1e4);
        }
    }

    @Test
    void incrementsThatTravelAsEventsCarryToo() throws Exception {
        // One dedicated ring, taken by this thread; the other thread shares the multi-producer ring, where counter
        // increments are events applied one by one.
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).maxProducerRings(1)
                .backPressure(BackPressure.BLOCK).build().start()) {
            Counter counter = engine.counter("huge_total").register().labels();
            counter.add(Long.MAX_VALUE);
            Thread other = new Thread(() -> {
                counter.add(Long.MAX_VALUE);
                counter.add(Long.MAX_VALUE);
            });
            other.start();
            other.join();
            CounterPoint point = point(engine.snapshot());
            assertEquals(3 * (double) Long.MAX_VALUE, point.value(), 1e4);
            assertEquals(Long.MAX_VALUE, point.longValue());
        }
    }
}
