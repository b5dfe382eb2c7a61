package io.streammetrics.examples;

import java.time.Duration;

/**
 * When the quick-start injects trouble: from {@code start} after it began, for {@code length}, the enrich stage's
 * lookups turn slow (a latency spike) and the parse stage rejects one record in ten (an error burst).
 *
 * @param start  how long after the start the trouble begins
 * @param length how long it lasts (zero: never)
 */
record TroubleSchedule(Duration start, Duration length) {
    /** Whether the trouble is on {@code elapsedNanos} after the start. */
    boolean activeAt(long elapsedNanos) {
        return elapsedNanos >= start.toNanos() && elapsedNanos < start.toNanos() + length.toNanos();
    }
}
