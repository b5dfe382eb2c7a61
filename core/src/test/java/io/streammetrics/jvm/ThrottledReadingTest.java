package io.streammetrics.jvm;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An expensive reading is taken once per interval, and calls in between see the last value. */
class ThrottledReadingTest {
    @Test
    void readsOncePerIntervalAndReturnsTheLastValueInBetween() {
        AtomicLong now = new AtomicLong(5_000);
        AtomicInteger reads = new AtomicInteger();
        ThrottledReading<Double> throttled = new ThrottledReading<>(() -> reads.incrementAndGet() * 10.0, 1_000, now::get);

        assertEquals(10.0, throttled.get());
        now.addAndGet(999);
        assertEquals(10.0, throttled.get());
        assertEquals(1, reads.get());
        now.addAndGet(1);
        assertEquals(20.0, throttled.get());
        now.addAndGet(5_000);
        assertEquals(30.0, throttled.get());
        assertEquals(30.0, throttled.get());
        assertEquals(3, reads.get());
    }

    @Test
    void theFirstCallReadsWhateverTheClockSays() {
        AtomicInteger reads = new AtomicInteger();
        ThrottledReading<Integer> throttled = new ThrottledReading<>(reads::incrementAndGet, 1_000, () -> 0L);
        assertEquals(1, throttled.get());
        assertEquals(1, throttled.get());
        assertEquals(1, reads.get());
    }
}
