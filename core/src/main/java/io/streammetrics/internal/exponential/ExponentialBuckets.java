package io.streammetrics.internal.exponential;

import java.util.Arrays;

/**
 * One histogram's base-2 exponential buckets as {@link ExponentialBucketMapping#map} fills them, in a holder reused
 * for the next histogram: a scale, the zero bucket (its count and threshold) and contiguous counts from
 * {@link #offset()} on, in OpenTelemetry's numbering (see {@link ExponentialScale}). The counts run from the lowest
 * to the highest non-empty bucket, so the first and last are never 0 while buckets in between may be.
 *
 * <p>Exporters copy what they keep: an OTLP point takes {@link #copyCounts()}, a Prometheus native histogram the
 * non-empty buckets with {@link ExponentialScale#prometheusIndex} indexes. Not thread-safe: one per reading thread.
 */
public final class ExponentialBuckets {
    private long[] counts;
    private int scale;
    private int offset;
    private int length;
    private long zeroCount;
    private double zeroThreshold;

    /** A holder with room for 160 buckets (it grows, once, when a mapping needs more). */
    public ExponentialBuckets() {
        this(160);
    }

    /** A holder with room for {@code capacity} buckets before it needs to grow. */
    public ExponentialBuckets(int capacity) {
        this.counts = new long[Math.max(1, capacity)];
    }

    /** Sets the shape and clears the first {@code length} counts, returning the array to add them into. */
    long[] reset(int scale, int offset, int length, long zeroCount, double zeroThreshold) {
        if (length > counts.length) {
            counts = new long[Math.max(length, 2 * counts.length)];
        } else {
            Arrays.fill(counts, 0, length, 0L);
        }
        this.scale = scale;
        this.offset = offset;
        this.length = length;
        this.zeroCount = zeroCount;
        this.zeroThreshold = zeroThreshold;
        return counts;
    }

    /** The scale (Prometheus: schema) of these buckets. */
    public int scale() {
        return scale;
    }

    /** OpenTelemetry's index of the first count; 0 when there are none. */
    public int offset() {
        return offset;
    }

    /** Number of counts, from the lowest to the highest non-empty bucket; 0 when only the zero bucket holds values. */
    public int length() {
        return length;
    }

    /** The count of bucket {@code offset() + i}, for {@code 0 <= i < length()}. */
    public long countAt(int i) {
        return counts[i];
    }

    /** Values in the zero bucket: at most {@link #zeroThreshold()}. */
    public long zeroCount() {
        return zeroCount;
    }

    /** The highest value of the zero bucket, in exported units. */
    public double zeroThreshold() {
        return zeroThreshold;
    }

    /** How many of the {@link #length()} counts are not 0. */
    public int nonEmptyCount() {
        int nonEmpty = 0;
        for (int i = 0; i < length; i++) {
            if (counts[i] != 0) {
                nonEmpty++;
            }
        }
        return nonEmpty;
    }

    /** The {@link #length()} counts in a new array, for an export that keeps them. */
    public long[] copyCounts() {
        return Arrays.copyOf(counts, length);
    }

    @Override
    public String toString() {
        return "ExponentialBuckets[scale=" + scale + ", offset=" + offset + ", " + Arrays.toString(copyCounts())
                + ", zero=" + zeroCount + " <= " + zeroThreshold + "]";
    }
}
