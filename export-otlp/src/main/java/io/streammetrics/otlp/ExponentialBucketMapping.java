package io.streammetrics.otlp;

import io.streammetrics.store.HistogramLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps HdrHistogram buckets onto OTLP base-2 exponential buckets.
 *
 * <p><b>Scale.</b> An HDR layout with {@code d} significant digits has {@code 2^m} sub-buckets per power of two
 * ({@code m = ceil(log2(2 * 10^d)) - 1}: {@code m = 7} at 2 digits), so an HDR bucket is at most {@code 2^-m}
 * (0.78%) of its lowest value wide. An exponential bucket at scale {@code s} spans a factor
 * {@code base = 2^(2^-s)}; the scale is {@code s = m} (capped at 20, OTLP's finest), so exponential buckets are no
 * wider than HDR's (base 1.0054 at scale 7): a coarser scale would add error the HDR data does not have, a finer one
 * only adds buckets.
 *
 * <p><b>Placement.</b> Bucket {@code i} counts values in {@code (base^i, base^(i+1)]}. Each HDR bucket's count goes
 * whole to the exponential bucket holding the HDR bucket's midpoint (splitting it would invent a distribution inside
 * the HDR bucket). HDR bucket 0 (values HDR cannot tell from 0: exactly 0 with the default lowest discernible value
 * of 1) goes to the zero count.
 *
 * <p><b>Error bound.</b> The mapping is monotone, so the value of rank {@code k} lies in the HDR bucket of rank
 * {@code k}, whose midpoint lies in the exponential bucket of rank {@code k}. Any point {@code e} of that exponential
 * bucket (its bounds, or its midpoint, as a quantile estimate) is therefore within
 * {@code (base - 1) + 2^-m} of the true value, relatively: 1.32% at 2 digits, against 0.78% for HDR alone.
 */
final class ExponentialBucketMapping {
    /** The finest scale OTLP allows. */
    static final int MAX_SCALE = 20;

    private ExponentialBucketMapping() {
    }

    /** The scale for a layout: see the class comment. */
    static int scaleFor(HistogramLayout layout) {
        return Math.min(MAX_SCALE, layout.subBucketHalfCountMagnitude());
    }

    /** The relative error bound of the class comment, {@code (base - 1) + 2^-m}. */
    static double relativeErrorBound(HistogramLayout layout) {
        return (base(scaleFor(layout)) - 1) + layout.relativeBucketWidth();
    }

    /** {@code 2^(2^-scale)}. */
    static double base(int scale) {
        return Math.pow(2, Math.scalb(1.0, -scale));
    }

    /** The lower (exclusive) bound of bucket {@code index}: {@code base^index}. */
    static double lowerBound(int index, int scale) {
        return Math.pow(2, Math.scalb((double) index, -scale));
    }

    /** The bucket holding {@code value > 0}: the index with {@code base^index < value <= base^(index+1)}. */
    static int indexOf(double value, int scale) {
        int index = (int) Math.ceil(Math.scalb(Math.log(value) / Math.log(2), scale)) - 1;
        // log() is not exact: nudge so that the bound comparisons decide.
        while (lowerBound(index + 1, scale) < value) {
            index++;
        }
        while (lowerBound(index, scale) >= value) {
            index--;
        }
        return index;
    }

    /** Buckets of one point: an offset and contiguous counts from it, plus the zero count. */
    static final class Buckets {
        final int offset;
        final List<Long> counts;
        final long zeroCount;

        Buckets(int offset, List<Long> counts, long zeroCount) {
            this.offset = offset;
            this.counts = counts;
            this.zeroCount = zeroCount;
        }
    }

    /**
     * The positive buckets and zero count of {@code values}.
     *
     * @param scale divisor from recorded to exported units (1e9 for timers)
     */
    static Buckets map(HistogramValues values, int expScale, double scale) {
        HistogramLayout layout = values.layout;
        long zeroCount = 0;
        int offset = 0;
        List<Long> counts = new ArrayList<>();
        for (int i = values.lowIndex; i <= values.highIndex(); i++) {
            long count = values.countAt(i);
            if (count == 0) {
                continue;
            }
            if (i == 0) {
                zeroCount += count;
                continue;
            }
            double midpoint = (layout.valueAt(i) + (double) layout.highestValueAt(i)) / 2 / scale;
            int index = indexOf(midpoint, expScale);
            if (counts.isEmpty()) {
                offset = index;
            }
            // Midpoints grow with i, so the index never goes below the last one: fill the gap with zeros.
            while (offset + counts.size() <= index) {
                counts.add(0L);
            }
            int at = index - offset;
            counts.set(at, counts.get(at) + count);
        }
        return new Buckets(offset, counts, zeroCount);
    }
}
