package io.streammetrics.testing;

import io.streammetrics.common.HistogramLayout;
import io.streammetrics.internal.exponential.ExponentialBucketMapping;
import io.streammetrics.internal.exponential.ExponentialScale;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checks of a native histogram that a real Prometheus stored, against the values the test recorded: at most
 * {@code maxBuckets} buckets (counted as Prometheus lists them, and as the populated range), a schema no lower than
 * the one the populated range guarantees, and {@code histogram_quantile} within the stated error bound of the exact
 * quantile ({@link ExponentialBucketMapping#relativeError} at the stored schema).
 */
public final class NativeHistogramBound {
    private NativeHistogramBound() {
    }

    /**
     * Checks the one native histogram {@code selector} selects.
     *
     * @param sorted the values recorded into it, sorted, in recorded units
     * @param divisor from recorded to exported units (1e9 for timers)
     * @return the stored schema
     */
    public static int assertBounded(PrometheusServer prometheus, String selector, long[] sorted, double divisor,
                                    HistogramLayout layout, int maxBuckets, double[] quantiles)
            throws IOException, InterruptedException {
        List<PrometheusServer.NativeHistogram> stored = prometheus.nativeHistograms(selector);
        assertEquals(1, stored.size(), () -> selector + ": " + stored);
        PrometheusServer.NativeHistogram histogram = stored.get(0);
        assertEquals(sorted.length, histogram.count(), selector);
        assertTrue(histogram.buckets().size() <= maxBuckets, () -> selector + ": " + histogram.buckets().size()
                + " buckets stored");
        assertTrue(histogram.populatedRange() <= maxBuckets, () -> selector + ": populated range of "
                + histogram.populatedRange() + " buckets stored");
        int schema = histogram.schema();
        ExponentialBucketMapping mapping = new ExponentialBucketMapping(layout, divisor,
                ExponentialScale.PROMETHEUS_MAX_SCHEMA, ExponentialScale.PROMETHEUS_MIN_SCHEMA, 0);
        double ratio = (double) sorted[sorted.length - 1] / sorted[0];
        int guaranteed = mapping.scaleForRange(ratio, maxBuckets);
        assertTrue(schema >= guaranteed, selector + ": schema " + schema + " below " + guaranteed + ", what a range of "
                + ratio + " guarantees in " + maxBuckets + " buckets");
        double bound = mapping.relativeError(schema);
        for (double q : quantiles) {
            List<Double> answer = prometheus.values("histogram_quantile(" + q + ", " + selector + ")");
            assertEquals(1, answer.size(), selector + " q=" + q);
            double estimate = answer.get(0);
            // Prometheus walks the buckets up for q < 0.5 and down for the rest: the rank is ceil(q n), or
            // floor(q n) + 1 from above; either value is exact.
            int n = sorted.length;
            double below = sorted[(int) Math.max(0, Math.ceil(q * n) - 1)] / divisor;
            double above = sorted[(int) Math.min(n - 1, Math.floor(q * n))] / divisor;
            double error = Math.min(Math.abs(estimate - below) / below, Math.abs(estimate - above) / above);
            assertTrue(error <= bound, selector + " q=" + q + ": histogram_quantile " + estimate + ", exact " + below
                    + " (or " + above + "), relative error " + error + " > bound " + bound + " at schema " + schema);
        }
        return schema;
    }
}
