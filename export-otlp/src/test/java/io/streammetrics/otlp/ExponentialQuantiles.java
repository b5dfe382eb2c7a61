package io.streammetrics.otlp;

import io.streammetrics.internal.exponential.ExponentialScale;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Quantiles read off exported exponential buckets against the exact quantiles of the recorded values: for each q,
 * the bucket holding rank {@code ceil(q n)} (after the zero count), and any estimate within it (its bounds and its
 * geometric midpoint), must be within {@code bound} of the rank's value.
 */
final class ExponentialQuantiles {
    private ExponentialQuantiles() {
    }

    /**
     * @param sorted the recorded values, sorted, in recorded units
     * @param divisor from recorded to exported units
     * @return the worst relative error seen, so that a test can show the bound is not vacuous
     */
    static double assertWithinBound(long[] sorted, double divisor, int scale, int offset, List<Long> counts,
                                    long zeroCount, double bound) {
        double worst = 0;
        int bucket = -1;
        long seen = zeroCount;
        for (int permille = 1; permille < 1000; permille++) {
            long rank = (long) Math.ceil(permille / 1000.0 * sorted.length);
            while (seen < rank) {
                seen += counts.get(++bucket);
            }
            double exact = sorted[(int) rank - 1] / divisor;
            double lower = ExponentialScale.lowerBound(offset + bucket, scale);
            double upper = ExponentialScale.lowerBound(offset + bucket + 1, scale);
            for (double estimate : new double[] {lower, upper, Math.sqrt(lower * upper)}) {
                double error = Math.abs(estimate - exact) / exact;
                worst = Math.max(worst, error);
                if (error > bound) {
                    assertTrue(false, "q=" + permille / 1000.0 + " exact " + exact + " estimate " + estimate
                            + " relative error " + error + " > bound " + bound + " at scale " + scale);
                }
            }
        }
        return worst;
    }
}
