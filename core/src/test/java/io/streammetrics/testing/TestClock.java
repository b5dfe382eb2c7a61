package io.streammetrics.testing;

import io.streammetrics.common.EngineClock;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** An engine clock that moves only when a test advances it; monotonic and wall time move together. */
public final class TestClock implements EngineClock {
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicLong millis;

    /** A clock whose wall time starts at {@code startMillis}. */
    public TestClock(long startMillis) {
        this.millis = new AtomicLong(startMillis);
    }

    /** Moves both clocks forward by {@code duration}. */
    public void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
        millis.addAndGet(duration.toMillis());
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public long epochMillis() {
        return millis.get();
    }
}
