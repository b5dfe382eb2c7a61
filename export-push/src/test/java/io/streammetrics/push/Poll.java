package io.streammetrics.push;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition in tests, failing with what was awaited. */
public final class Poll {
    private static final Duration DEFAULT = Duration.ofSeconds(30);

    private Poll() {
    }

    /** Polls {@code condition} every 20 ms for up to 30 s. */
    public static void until(BooleanSupplier condition, String what) throws InterruptedException {
        until(DEFAULT, condition, what);
    }

    /** Polls {@code condition} every 20 ms for up to {@code timeout}. */
    public static void until(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
