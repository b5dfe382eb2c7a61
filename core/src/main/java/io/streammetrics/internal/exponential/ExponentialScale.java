package io.streammetrics.internal.exponential;

/**
 * The arithmetic of base-2 exponential buckets, shared by OpenTelemetry's exponential histograms and Prometheus'
 * native histograms (the same buckets under two conventions).
 *
 * <p>At scale {@code s} (Prometheus: schema {@code s}) the base is {@code b = 2^(2^-s)}, and bucket {@code i} holds
 * the values in {@code (b^i, b^(i+1)]} in OpenTelemetry's numbering, which this class uses. Prometheus numbers the
 * same bucket {@code i + 1} (its bucket {@code j} is {@code (b^(j-1), b^j]}), see {@link #prometheusIndex}. Lowering
 * the scale by one merges buckets {@code 2k} and {@code 2k + 1} into bucket {@code k}: an index at scale
 * {@code s - d} is the index at scale {@code s} shifted right by {@code d} (a floor division), as both formats define
 * downscaling.
 */
public final class ExponentialScale {
    /** The finest scale OpenTelemetry defines. */
    public static final int MAX_SCALE = 20;
    /** The coarsest scale OpenTelemetry's SDK uses. */
    public static final int MIN_SCALE = -10;
    /** The finest schema Prometheus accepts. */
    public static final int PROMETHEUS_MAX_SCHEMA = 8;
    /** The coarsest schema Prometheus accepts. */
    public static final int PROMETHEUS_MIN_SCHEMA = -4;

    private ExponentialScale() {
    }

    /** The base {@code 2^(2^-scale)}: the ratio between a bucket's upper and lower bound. */
    public static double base(int scale) {
        return Math.pow(2, Math.scalb(1.0, -scale));
    }

    /** The lower (exclusive) bound of bucket {@code index}, {@code 2^(index * 2^-scale)}; the upper one of {@code index - 1}. */
    public static double lowerBound(int index, int scale) {
        return Math.pow(2, Math.scalb((double) index, -scale));
    }

    /**
     * The bucket holding {@code value > 0}: the index with {@code lowerBound(index) < value <= lowerBound(index + 1)},
     * decided by those bound computations themselves (a logarithm alone can be off by one at a bound).
     */
    public static int indexOf(double value, int scale) {
        int index = (int) Math.ceil(Math.scalb(Math.log(value) / Math.log(2), scale)) - 1;
        while (lowerBound(index + 1, scale) < value) {
            index++;
        }
        while (lowerBound(index, scale) >= value) {
            index--;
        }
        return index;
    }

    /** Prometheus' number of OpenTelemetry's bucket {@code index}: {@code index + 1}. */
    public static int prometheusIndex(int index) {
        return index + 1;
    }
}
