package io.streammetrics.otlp;

import io.streammetrics.EngineClock;

import java.util.concurrent.atomic.AtomicLong;

/** An engine clock whose wall time moves only when told to, so that exported timestamps are exact. */
final class TestClock implements EngineClock {
    private final AtomicLong millis;

    TestClock(long startMillis) {
        this.millis = new AtomicLong(startMillis);
    }

    void advanceMillis(long delta) {
        millis.addAndGet(delta);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public long epochMillis() {
        return millis.get();
    }
}
