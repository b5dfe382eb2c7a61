package io.streammetrics;

import java.time.Duration;
import java.util.Objects;

/** Checks of the durations that builders take, with messages naming the setting. */
public final class Durations {
    private Durations() {
    }

    /**
     * {@code duration} if it is longer than zero.
     *
     * @throws IllegalArgumentException naming {@code what} otherwise
     */
    public static Duration positive(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + duration);
        }
        return duration;
    }

    /**
     * {@code duration} if it is zero or longer.
     *
     * @throws IllegalArgumentException naming {@code what} otherwise
     */
    public static Duration notNegative(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, got " + duration);
        }
        return duration;
    }
}
