package io.streammetrics.prometheus;

import io.prometheus.metrics.model.snapshots.NativeHistogramBucket;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.streammetrics.internal.exponential.ExponentialScale;

/**
 * histogram_quantile as Prometheus 2.53 computes it for a native histogram with only positive buckets
 * (promql/quantile.go): rank = q * count, the first bucket (zero bucket first, then by index) whose cumulative count
 * reaches the rank, linear interpolation between its lower and upper bound (native buckets are (lower, upper]; the
 * zero bucket is [0, threshold] when there are no negative buckets).
 */
final class PromQlQuantile {
    private PromQlQuantile() {
    }

    static double nativeQuantile(double q, HistogramSnapshot.HistogramDataPointSnapshot point) {
        int schema = point.getNativeSchema();
        double count = point.getCount();
        if (count == 0) {
            return Double.NaN;
        }
        double rank = q * count;
        double cumulative = point.getNativeZeroCount();
        if (cumulative > 0 && cumulative >= rank) {
            return point.getNativeZeroThreshold() * (rank / cumulative);
        }
        NativeHistogramBucket found = null;
        for (NativeHistogramBucket bucket : point.getNativeBucketsForPositiveValues()) {
            found = bucket;
            cumulative += bucket.getCount();
            if (cumulative >= rank) {
                break;
            }
        }
        if (found == null) {
            return point.getNativeZeroThreshold();
        }
        // Prometheus' bucket j is (base^(j-1), base^j]: OpenTelemetry's j - 1.
        double lower = ExponentialScale.lowerBound(found.getBucketIndex() - 1, schema);
        double upper = ExponentialScale.lowerBound(found.getBucketIndex(), schema);
        double bucketCount = found.getCount();
        if (cumulative < rank) {
            return upper;
        }
        double rankInBucket = rank - (cumulative - bucketCount);
        return lower + (upper - lower) * (rankInBucket / bucketCount);
    }
}
