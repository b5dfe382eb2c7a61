package io.streammetrics.internal.exponential;

import io.streammetrics.common.BucketCounts;
import io.streammetrics.common.HistogramLayout;

/**
 * Maps a histogram's HdrHistogram bucket counts onto base-2 exponential buckets (OpenTelemetry exponential histograms,
 * Prometheus native histograms) with at most a given number of buckets: the one mapping both exporters use.
 *
 * <p><b>Initial scale.</b> An HDR layout with {@code d} significant digits has {@code 2^m} sub-buckets per power of
 * two ({@code m = 7} at 2 digits), so an HDR bucket is at most {@code w = 2^-m} of its lowest value wide. Exponential
 * buckets start at scale {@code min(maxScale, m)} (base {@code 2^(2^-m)}, 1.0054 at 2 digits): no wider than HDR's
 * where the data is finest; a finer scale would add buckets, not information.
 *
 * <p><b>Placement.</b> Each HDR bucket's count goes whole to the exponential bucket holding the HDR bucket's midpoint
 * (splitting it would invent a distribution inside the HDR bucket that the data does not have). The HDR buckets up to
 * the zero threshold (at least HDR bucket 0, which holds the values HDR cannot tell from 0) form the zero bucket.
 * Midpoints grow with the HDR index, so the mapping is monotone. A table built once holds the exponential index of
 * every HDR bucket at the initial scale, so mapping a histogram takes no logarithm and allocates nothing.
 *
 * <p><b>At most {@code maxBuckets} buckets.</b> If the buckets from the lowest to the highest non-empty one (the
 * populated range, empty buckets between included, as OpenTelemetry counts them; Prometheus client_java counts only
 * the non-empty ones, never more) are more than {@code maxBuckets}, the scale is lowered one step at a time, each step
 * merging buckets {@code 2k} and {@code 2k + 1} as both formats define downscaling, until they fit or the scale
 * reaches {@code minScale}. The scale depends only on the populated range: {@link #scaleForRange} gives the lowest it
 * can be for a range of values, {@link #relativeError} the quantile error at a scale.
 *
 * <p><b>Error.</b> The rank-{@code k} value lies in the HDR bucket of rank {@code k}, whose midpoint lies in the
 * exponential bucket of rank {@code k}; any estimate within that bucket (its bounds, its midpoint, or Prometheus'
 * {@code histogram_quantile} interpolation) is within relative error {@code b / (1 - w/2) - 1} of the value, where
 * {@code b = 2^(2^-scale)}: 0.94% at scale 7 and 2 digits, 9.9% at scale 3, 19.9% at scale 2. Quantiles that fall
 * in the zero bucket are only known to be between 0 and its threshold.
 *
 * <p>Immutable and thread-safe; holds one {@code int} per HDR bucket (18 KB for the default 1 ns to 1 h layout), so
 * build one per layout, unit and settings and keep it.
 */
public final class ExponentialBucketMapping {
    private final HistogramLayout layout;
    private final int initialScale;
    private final int minScale;
    private final double zeroThreshold;
    /** The highest HDR index in the zero bucket (at least 0). */
    private final int zeroIndex;
    /** The exponential index of each HDR bucket's midpoint at {@link #initialScale}, above {@link #zeroIndex}. */
    private final int[] indexes;

    /**
     * @param layout the HDR layout of the histograms to map
     * @param exportDivisor divisor from recorded to exported units (1e9 for timers: nanoseconds to seconds)
     * @param maxScale the finest scale to use (the initial one is {@code min(maxScale, m)})
     * @param minScale the coarsest scale to lower to ({@link ExponentialScale#MIN_SCALE} for OpenTelemetry,
     *        {@link ExponentialScale#PROMETHEUS_MIN_SCHEMA} for Prometheus)
     * @param minZeroThreshold the least zero threshold, in exported units: HDR buckets holding only values up to it
     *        go to the zero bucket, whose threshold is then raised to the highest value they hold if that is higher
     * @throws IllegalArgumentException for a scale outside OpenTelemetry's, {@code minScale > maxScale}, a divisor
     *         that is not positive or a threshold that is negative or not finite
     */
    public ExponentialBucketMapping(HistogramLayout layout, double exportDivisor, int maxScale, int minScale,
                                    double minZeroThreshold) {
        if (maxScale > ExponentialScale.MAX_SCALE || minScale < ExponentialScale.MIN_SCALE || minScale > maxScale) {
            throw new IllegalArgumentException("exponential scales must satisfy " + ExponentialScale.MIN_SCALE
                    + " <= minScale <= maxScale <= " + ExponentialScale.MAX_SCALE + ", got " + minScale + " and "
                    + maxScale);
        }
        if (!(exportDivisor > 0) || Double.isInfinite(exportDivisor)) {
            throw new IllegalArgumentException("export divisor must be positive and finite, got " + exportDivisor);
        }
        if (!(minZeroThreshold >= 0) || Double.isInfinite(minZeroThreshold)) {
            throw new IllegalArgumentException("zero threshold must be >= 0 and finite, got " + minZeroThreshold);
        }
        this.layout = layout;
        this.initialScale = Math.max(minScale, Math.min(maxScale, layout.subBucketHalfCountMagnitude()));
        this.minScale = minScale;
        double recorded = minZeroThreshold * exportDivisor;
        long zeroValue = recorded >= layout.highestTrackableValue() ? layout.highestTrackableValue() : (long) recorded;
        this.zeroIndex = layout.indexOf(zeroValue);
        this.zeroThreshold = Math.max(minZeroThreshold, layout.highestValueAt(zeroIndex) / exportDivisor);
        this.indexes = new int[layout.countsLength()];
        for (int i = zeroIndex + 1; i < indexes.length; i++) {
            double midpoint = (layout.valueAt(i) + (double) layout.highestValueAt(i)) / 2 / exportDivisor;
            indexes[i] = ExponentialScale.indexOf(midpoint, initialScale);
        }
    }

    /** The scale a histogram is mapped at when its populated range fits: {@code min(maxScale, m)}. */
    public int initialScale() {
        return initialScale;
    }

    /** The coarsest scale this mapping lowers to. */
    public int minScale() {
        return minScale;
    }

    /** The zero bucket's threshold, in exported units: at least the configured one. */
    public double zeroThreshold() {
        return zeroThreshold;
    }

    /**
     * Maps one histogram's counts into {@code out}: the zero bucket, then every other non-empty HDR bucket whole to
     * the exponential bucket of its midpoint, at the highest scale (at most the initial one, at least
     * {@link #minScale()}) whose populated range is at most {@code maxBuckets} buckets. Allocates nothing unless
     * {@code out} must grow.
     *
     * @param maxBuckets the most buckets from the lowest to the highest non-empty one; 0 or less: no limit
     */
    public void map(BucketCounts counts, int maxBuckets, ExponentialBuckets out) {
        int high = counts.highIndex();
        int i = counts.lowIndex();
        long zeroCount = 0;
        for (int end = Math.min(high, zeroIndex); i <= end; i++) {
            zeroCount += counts.countAt(i);
        }
        i = Math.max(i, zeroIndex + 1);
        while (i <= high && counts.countAt(i) == 0) {
            i++;
        }
        while (high >= i && counts.countAt(high) == 0) {
            high--;
        }
        if (i > high) {
            out.reset(initialScale, 0, 0, zeroCount, zeroThreshold);
            return;
        }
        int lowest = indexes[i];
        int highest = indexes[high];
        int shift = 0;
        if (maxBuckets > 0) {
            while (initialScale - shift > minScale && (highest >> shift) - (lowest >> shift) >= maxBuckets) {
                shift++;
            }
        }
        int offset = lowest >> shift;
        long[] target = out.reset(initialScale - shift, offset, (highest >> shift) - offset + 1, zeroCount,
                zeroThreshold);
        for (; i <= high; i++) {
            long count = counts.countAt(i);
            if (count != 0) {
                target[(indexes[i] >> shift) - offset] += count;
            }
        }
    }

    /**
     * The lowest scale {@link #map} can choose for a histogram whose values above the zero bucket span
     * {@code ratio = largest / smallest}: the highest scale {@code s} (from the initial one down to
     * {@link #minScale()}) with {@code ceil(log2(ratio') * 2^s) + 1 <= maxBuckets}, where
     * {@code ratio' = ratio * (1 + w/2) / (1 - w/2)} bounds the ratio of the extreme HDR buckets' midpoints. The
     * scale {@code map} chooses is this one or higher, so its quantiles are within {@link #relativeError} of it.
     *
     * @param maxBuckets as for {@link #map}; 0 or less: no limit
     */
    public int scaleForRange(double ratio, int maxBuckets) {
        if (maxBuckets <= 0) {
            return initialScale;
        }
        double halfWidth = layout.relativeBucketWidth() / 2;
        double octaves = Math.log(Math.max(1, ratio) * (1 + halfWidth) / (1 - halfWidth)) / Math.log(2);
        for (int scale = initialScale; scale > minScale; scale--) {
            // A hair above the exact product, so that rounding never makes a range look narrower than it is.
            if (Math.ceil(Math.scalb(octaves, scale) * (1 + 1e-12)) + 1 <= maxBuckets) {
                return scale;
            }
        }
        return minScale;
    }

    /**
     * The relative error bound of a quantile estimated from buckets of {@code scale} (see the class comment):
     * {@code 2^(2^-scale) / (1 - w/2) - 1}.
     */
    public double relativeError(int scale) {
        return ExponentialScale.base(scale) / (1 - layout.relativeBucketWidth() / 2) - 1;
    }

    @Override
    public String toString() {
        return "ExponentialBucketMapping[scale " + initialScale + ".." + minScale + ", zero threshold "
                + zeroThreshold + ", " + layout + "]";
    }
}
