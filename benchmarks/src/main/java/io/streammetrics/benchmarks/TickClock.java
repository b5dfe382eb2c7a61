package io.streammetrics.benchmarks;

import io.streammetrics.common.EngineClock;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulated engine and evaluator clock for the alerting measurements: it moves one interval per tick, never on its
 * own, so that minutes of evaluations run in seconds.
 */
final class TickClock implements EngineClock {
    private final AtomicLong millis;

    TickClock(long startMillis) {
        this.millis = new AtomicLong(startMillis);
    }

    void advance(long deltaMillis) {
        millis.addAndGet(deltaMillis);
    }

    @Override
    public long nanoTime() {
        return millis.get() * 1_000_000L;
    }

    @Override
    public long epochMillis() {
        return millis.get();
    }
}
