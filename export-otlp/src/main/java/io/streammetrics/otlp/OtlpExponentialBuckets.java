package io.streammetrics.otlp;

import io.opentelemetry.sdk.common.internal.PrimitiveLongList;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramBuckets;
import io.streammetrics.internal.exponential.ExponentialBuckets;

import java.util.List;

/**
 * One point's exponential buckets in the SDK's data model, over a {@code long[]} of their counts: the SDK's own
 * {@code ExponentialHistogramBuckets.create} takes a {@code List<Long>} and sums it through a boxing stream, and its
 * OTLP marshaler writes a list wrapped by {@link PrimitiveLongList} (as the SDK's aggregator wraps its own counts)
 * without unboxing, so this costs one exact-length array per point and no {@code Long}. {@code PrimitiveLongList}
 * sits in the SDK's internal package; the pinned SDK version and the tests that decode what is sent guard it.
 * Immutable.
 */
final class OtlpExponentialBuckets implements ExponentialHistogramBuckets {
    private static final OtlpExponentialBuckets[] EMPTY = new OtlpExponentialBuckets[31];

    static {
        for (int scale = -10; scale <= 20; scale++) {
            EMPTY[scale + 10] = new OtlpExponentialBuckets(scale, 0, new long[0], 0);
        }
    }

    private final int scale;
    private final int offset;
    private final List<Long> counts;
    private final long totalCount;

    private OtlpExponentialBuckets(int scale, int offset, long[] counts, long totalCount) {
        this.scale = scale;
        this.offset = offset;
        this.counts = PrimitiveLongList.wrap(counts);
        this.totalCount = totalCount;
    }

    /** A copy of {@code buckets}' counts (the zero bucket aside). */
    static OtlpExponentialBuckets of(ExponentialBuckets buckets) {
        if (buckets.length() == 0) {
            return empty(buckets.scale());
        }
        long[] counts = buckets.copyCounts();
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        return new OtlpExponentialBuckets(buckets.scale(), buckets.offset(), counts, total);
    }

    /** No buckets at {@code scale} (-10 to 20). */
    static OtlpExponentialBuckets empty(int scale) {
        return EMPTY[scale + 10];
    }

    @Override
    public int getScale() {
        return scale;
    }

    @Override
    public int getOffset() {
        return offset;
    }

    @Override
    public List<Long> getBucketCounts() {
        return counts;
    }

    @Override
    public long getTotalCount() {
        return totalCount;
    }

    @Override
    public String toString() {
        return "OtlpExponentialBuckets{scale=" + scale + ", offset=" + offset + ", bucketCounts=" + counts
                + ", totalCount=" + totalCount + "}";
    }
}
