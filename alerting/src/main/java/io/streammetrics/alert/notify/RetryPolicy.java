package io.streammetrics.alert.notify;

import io.streammetrics.common.Durations;

import java.time.Duration;

/**
 * How an HTTP notifier retries a delivery that failed transiently (connection error, timeout, HTTP 408, 429 or 5xx):
 * exponential backoff from {@code initialBackoff}, doubling up to {@code maxBackoff}, each delay spread by
 * {@code ±jitter} so that many processors that lost the same receiver do not retry in lock step. Immutable; modelled
 * on the OpenTelemetry SDK's exporter {@code RetryPolicy}.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder().maxRetries(5).initialBackoff(Duration.ofMillis(200)).build();
 * }</pre>
 */
public final class RetryPolicy {
    private static final RetryPolicy DEFAULT = builder().build();
    private static final RetryPolicy NONE = builder().maxRetries(0).build();

    private final int maxRetries;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final double jitter;

    private RetryPolicy(Builder builder) {
        this.maxRetries = builder.maxRetries;
        this.initialBackoff = builder.initialBackoff;
        this.maxBackoff = builder.maxBackoff;
        this.jitter = builder.jitter;
    }

    /** 3 retries, backoff from 500 ms up to 30 s, jitter 0.2. */
    public static RetryPolicy defaults() {
        return DEFAULT;
    }

    /** One attempt only. */
    public static RetryPolicy none() {
        return NONE;
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Retries after the first attempt (0: none). */
    public int maxRetries() {
        return maxRetries;
    }

    /** The delay before the first retry, before jitter. */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /** The cap of the delay, before jitter. */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** The relative spread of each delay, 0 to 1. */
    public double jitter() {
        return jitter;
    }

    /**
     * The delay before retry number {@code retry} (1 for the first).
     *
     * @param random a uniform random number in [0, 1), which sets where the delay falls inside the jitter band
     */
    Duration backoff(int retry, double random) {
        double base = Math.min(maxBackoff.toNanos(), initialBackoff.toNanos() * Math.pow(2, retry - 1));
        return Duration.ofNanos((long) (base * (1 + jitter * (2 * random - 1))));
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxRetries=" + maxRetries + ", initialBackoff=" + initialBackoff + ", maxBackoff="
                + maxBackoff + ", jitter=" + jitter + '}';
    }

    /** Builds a {@link RetryPolicy}. */
    public static final class Builder {
        private int maxRetries = 3;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private double jitter = 0.2;

        private Builder() {
        }

        /** Retries after the first attempt (default 3; 0 for none). */
        public Builder maxRetries(int maxRetries) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
            }
            this.maxRetries = maxRetries;
            return this;
        }

        /** The delay before the first retry (default 500 ms). */
        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = Durations.positive(initialBackoff, "initialBackoff");
            return this;
        }

        /** The longest delay between two attempts (default 30 s). */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = Durations.positive(maxBackoff, "maxBackoff");
            return this;
        }

        /** The relative spread of each delay, from 0 (exact delays) to 1 (default 0.2: ±20 %). */
        public Builder jitter(double jitter) {
            if (!(jitter >= 0 && jitter <= 1)) {
                throw new IllegalArgumentException("jitter must be between 0 and 1, got " + jitter);
            }
            this.jitter = jitter;
            return this;
        }

        /**
         * Builds the policy.
         *
         * @throws IllegalArgumentException if {@code maxBackoff} is shorter than {@code initialBackoff}
         */
        public RetryPolicy build() {
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is shorter than initialBackoff "
                        + initialBackoff);
            }
            return new RetryPolicy(this);
        }
    }
}
