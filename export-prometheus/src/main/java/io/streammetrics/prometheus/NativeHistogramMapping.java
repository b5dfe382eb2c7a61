package io.streammetrics.prometheus;

import io.streammetrics.store.BucketCounts;
import io.streammetrics.store.HistogramLayout;

/**
 * Maps HdrHistogram buckets onto Prometheus native (exponential) buckets.
 *
 * <p><b>Schema.</b> An HDR layout with {@code d} significant digits has {@code 2^m} sub-buckets per power of two in
 * its upper half ({@code m = ceil(log2(2 * 10^d)) - 1}, so {@code m = 7} at 2 digits); a bucket's width relative
 * to its lowest value is therefore at most {@code 2^-m} (0.78% at 2 digits). A native bucket of schema {@code s}
 * spans a factor {@code 2^(2^-s)}, i.e. a relative width of about {@code ln2 * 2^-s}. The schema is the smallest
 * with native buckets no wider than HDR's, {@code s = m} (capped at 8, the finest schema Prometheus accepts):
 * schema 7 at 2 digits (factor 1.0054; schema 6, factor 1.0109, would add more error than the HDR data has).
 * A finer schema would not add information (each HDR bucket still lands in one native bucket) and only costs
 * buckets.
 *
 * <p><b>Placement.</b> Each HDR bucket's count goes whole to the native bucket containing the HDR bucket's midpoint
 * (no proportional split: splitting would invent a distribution inside the HDR bucket that the data does not
 * have). HDR bucket 0 (values below the lowest discernible value, which HDR cannot tell from 0) becomes the zero
 * bucket, with the threshold at its highest value (0 when the lowest discernible value is 1). Midpoints grow with
 * the HDR index, so a histogram's native buckets come out in order, each HDR bucket's count joining the previous one's
 * when they share a native bucket. An instance maps one scale (timers' or other histograms'); immutable.
 */
final class NativeHistogramMapping {
    /** The finest schema Prometheus accepts. */
    static final int MAX_SCHEMA = 8;

    private final int schema;
    private final double zeroThreshold;
    /**
     * The native bucket of each HDR bucket's midpoint, by HDR bucket index (entry 0, the zero bucket, unused): it
     * depends only on the layout, schema and scale, so a scrape looks buckets up here instead of taking a logarithm
     * and powers per non-empty bucket of every series.
     */
    private final int[] nativeIndexes;

    /**
     * The mapping of histograms in {@code layout} onto native buckets of {@code schema}, for values exported divided
     * by {@code scale} (1e9 for timers). Takes a logarithm per HDR bucket: build one per scale and keep it.
     */
    NativeHistogramMapping(HistogramLayout layout, int schema, double scale) {
        this.schema = schema;
        this.zeroThreshold = zeroThreshold(layout, scale);
        this.nativeIndexes = new int[layout.countsLength()];
        for (int i = 1; i < nativeIndexes.length; i++) {
            double midpoint = (layout.valueAt(i) + (double) layout.highestValueAt(i)) / 2 / scale;
            nativeIndexes[i] = indexOf(midpoint, schema);
        }
    }

    /** The schema for a layout: see the class comment. */
    static int schemaFor(HistogramLayout layout) {
        return Math.min(MAX_SCHEMA, layout.subBucketHalfCountMagnitude());
    }

    /** Upper bound of HDR buckets' width relative to their lowest value, {@code 2^-m}. */
    static double hdrRelativeWidth(HistogramLayout layout) {
        return layout.relativeBucketWidth();
    }

    /** The factor {@code 2^(2^-schema)} between consecutive native bucket bounds. */
    static double growthFactor(int schema) {
        return Math.pow(2, Math.scalb(1.0, -schema));
    }

    /** The upper (inclusive) bound of native bucket {@code index}: {@code 2^(index * 2^-schema)}. */
    static double upperBound(int index, int schema) {
        return Math.pow(2, Math.scalb((double) index, -schema));
    }

    /** The native bucket holding {@code value > 0}: the smallest index whose upper bound is {@code >= value}. */
    static int indexOf(double value, int schema) {
        int index = (int) Math.ceil(Math.scalb(Math.log(value) / Math.log(2), schema));
        // log() is not exact: nudge so that the bound comparison, as Prometheus makes it, decides.
        while (upperBound(index, schema) < value) {
            index++;
        }
        while (upperBound(index - 1, schema) >= value) {
            index--;
        }
        return index;
    }

    /** The zero bucket threshold, in exported units: the highest value of HDR bucket 0. */
    static double zeroThreshold(HistogramLayout layout, double scale) {
        return layout.highestValueAt(0) / scale;
    }

    /** The schema of this mapping's native buckets. */
    int schema() {
        return schema;
    }

    /** The zero bucket threshold of this mapping, in exported units. */
    double zeroThreshold() {
        return zeroThreshold;
    }

    /**
     * Maps the occupied HDR buckets of one histogram onto native buckets, into {@code out} (cleared first): HDR
     * bucket 0 to the zero bucket, every other non-empty one whole to the native bucket of its midpoint.
     */
    void map(BucketCounts hdr, NativeBucketCounts out) {
        out.clear();
        for (int i = hdr.lowIndex(); i <= hdr.highIndex(); i++) {
            long count = hdr.countAt(i);
            if (count == 0) {
                continue;
            }
            if (i == 0) {
                out.addZero(count);
            } else {
                out.add(nativeIndexes[i], count);
            }
        }
    }
}
