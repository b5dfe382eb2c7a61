package io.streammetrics.otlp;

import io.streammetrics.internal.exponential.ExponentialScale;

import java.util.Arrays;

/**
 * How a histogram or timer family is exported: as an OTLP explicit-bucket Histogram (with given or default
 * boundaries) or as a base-2 Exponential Histogram of at most {@code maxBuckets} buckets, as the OpenTelemetry SDK's
 * {@code Aggregation.base2ExponentialBucketHistogram(maxBuckets, maxScale)} sizes them. Immutable.
 */
public final class HistogramFormat {
    /** The default of {@link #exponential()}, as the OpenTelemetry SDK's. */
    public static final int DEFAULT_MAX_BUCKETS = 160;
    /** The default of {@link #exponential()}, as the OpenTelemetry SDK's: OTLP's finest scale. */
    public static final int DEFAULT_MAX_SCALE = ExponentialScale.MAX_SCALE;

    private static final HistogramFormat DEFAULT_EXPLICIT = new HistogramFormat(false, null, 0, 0);
    private static final HistogramFormat EXPONENTIAL =
            new HistogramFormat(true, null, DEFAULT_MAX_BUCKETS, DEFAULT_MAX_SCALE);

    private final boolean exponential;
    private final double[] boundaries;
    private final int maxBuckets;
    private final int maxScale;

    private HistogramFormat(boolean exponential, double[] boundaries, int maxBuckets, int maxScale) {
        this.exponential = exponential;
        this.boundaries = boundaries;
        this.maxBuckets = maxBuckets;
        this.maxScale = maxScale;
    }

    /**
     * Explicit buckets with the family's classic upper bounds, as declared at registration
     * ({@code classicUpperBounds} on its builder), by default by unit: 0.005 to 10 for seconds and timers, powers of
     * 4 from 64 B to 64 MiB for bytes, otherwise powers of 10 across the histogram range.
     */
    public static HistogramFormat explicitBuckets() {
        return DEFAULT_EXPLICIT;
    }

    /**
     * Explicit buckets with these upper-inclusive boundaries, in exported units (seconds for timers).
     *
     * @throws IllegalArgumentException unless the boundaries are finite and strictly increasing
     */
    public static HistogramFormat explicitBuckets(double... boundaries) {
        double[] copy = boundaries.clone();
        for (int i = 0; i < copy.length; i++) {
            if (!Double.isFinite(copy[i])) {
                throw new IllegalArgumentException("bucket boundaries must be finite, got " + Arrays.toString(copy));
            }
            if (i > 0 && copy[i] <= copy[i - 1]) {
                throw new IllegalArgumentException("bucket boundaries must be strictly increasing, got "
                        + Arrays.toString(copy));
            }
        }
        return new HistogramFormat(false, copy, 0, 0);
    }

    /**
     * A base-2 exponential histogram of at most 160 buckets: {@code exponential(160, 20)}, the OpenTelemetry SDK's
     * defaults. At 2 significant digits that is scale 7 while the values span at most a factor 2.3, scale 3 for
     * three decades (quantiles within 9.5%), scale 2 for six (19.4%).
     */
    public static HistogramFormat exponential() {
        return EXPONENTIAL;
    }

    /**
     * A base-2 exponential histogram whose scale starts at {@code min(maxScale, m)} ({@code m}: the HDR precision,
     * 7 at 2 significant digits; a finer scale would add buckets, not information) and is lowered, merging pairs of
     * adjacent buckets as OTLP defines it, until the buckets from the lowest to the highest non-empty one are at most
     * {@code maxBuckets}. Only what is exported is bounded: the store's HDR buckets are unchanged.
     *
     * @throws IllegalArgumentException unless {@code maxBuckets >= 2} and {@code -10 <= maxScale <= 20}, as the
     *         OpenTelemetry SDK requires
     */
    public static HistogramFormat exponential(int maxBuckets, int maxScale) {
        if (maxBuckets < 2) {
            throw new IllegalArgumentException("exponential histogram maxBuckets must be >= 2, got " + maxBuckets);
        }
        if (maxScale < ExponentialScale.MIN_SCALE || maxScale > ExponentialScale.MAX_SCALE) {
            throw new IllegalArgumentException("exponential histogram maxScale must be between "
                    + ExponentialScale.MIN_SCALE + " and " + ExponentialScale.MAX_SCALE + ", got " + maxScale);
        }
        return new HistogramFormat(true, null, maxBuckets, maxScale);
    }

    /** Whether this is the exponential format. */
    public boolean isExponential() {
        return exponential;
    }

    /** The most buckets of the exponential format (0 for explicit buckets). */
    public int maxBuckets() {
        return maxBuckets;
    }

    /** The finest scale of the exponential format (0 for explicit buckets). */
    public int maxScale() {
        return maxScale;
    }

    /** The configured boundaries, or null for the family's own (and for the exponential format). */
    double[] boundaries() {
        return boundaries == null ? null : boundaries.clone();
    }

    @Override
    public String toString() {
        return exponential ? "exponential(maxBuckets=" + maxBuckets + ", maxScale=" + maxScale + ")"
                : boundaries == null ? "explicit(default)" : "explicit" + Arrays.toString(boundaries);
    }
}
