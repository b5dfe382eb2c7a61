package io.streammetrics.otlp;

import java.util.Arrays;

/**
 * How a histogram or timer family is exported: as an OTLP explicit-bucket Histogram (with given or default
 * boundaries) or as a base-2 Exponential Histogram whose scale follows the HDR precision (scale 7 at the default
 * 2 significant digits: quantiles within 1.32% of the recorded values). Immutable.
 */
public final class HistogramFormat {
    private static final HistogramFormat DEFAULT_EXPLICIT = new HistogramFormat(false, null);
    private static final HistogramFormat EXPONENTIAL = new HistogramFormat(true, null);

    private final boolean exponential;
    private final double[] boundaries;

    private HistogramFormat(boolean exponential, double[] boundaries) {
        this.exponential = exponential;
        this.boundaries = boundaries;
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
        return new HistogramFormat(false, copy);
    }

    /** A base-2 exponential histogram at the scale matching the engine's HDR precision (7 at 2 digits). */
    public static HistogramFormat exponential() {
        return EXPONENTIAL;
    }

    /** Whether this is the exponential format. */
    public boolean isExponential() {
        return exponential;
    }

    /** The configured boundaries, or null for the family's own (and for the exponential format). */
    double[] boundaries() {
        return boundaries == null ? null : boundaries.clone();
    }

    @Override
    public String toString() {
        return exponential ? "exponential" : boundaries == null ? "explicit(default)" : "explicit" + Arrays.toString(boundaries);
    }
}
