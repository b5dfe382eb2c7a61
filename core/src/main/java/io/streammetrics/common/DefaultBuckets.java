package io.streammetrics.common;

import java.util.ArrayList;
import java.util.List;

/**
 * Default classic (explicit-bucket) boundaries by unit: what a histogram or timer family gets at registration when
 * its builder sets no {@link DistributionBuilder#classicUpperBounds}. The store keeps counts for a family's
 * boundaries, and exporters whose format has fixed buckets (Prometheus classic {@code le} buckets, OTLP
 * explicit-bucket histograms) use them unless configured otherwise, so that a family looks alike whichever way it
 * leaves the process. Boundaries are in exported units (seconds for timers).
 */
public final class DefaultBuckets {
    /** client_java's (and client_golang's) default buckets: tuned for network request latencies in seconds. */
    private static final double[] SECONDS = {.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10};
    /** Powers of 4 from 64 B to 64 MiB: message and payload sizes span several orders of magnitude. */
    private static final double[] BYTES = powers(4, 64, 64L * 1024 * 1024);

    private DefaultBuckets() {
    }

    /**
     * The default boundaries of a family: client_java's for timers and {@code seconds}, powers of 4 for
     * {@code bytes}, otherwise powers of 10 covering the histogram layout's range.
     */
    public static double[] forFamily(MetricType type, Unit unit, HistogramLayout layout) {
        if (type == MetricType.TIMER || Unit.SECONDS.equals(unit)) {
            return SECONDS.clone();
        }
        if (Unit.BYTES.equals(unit)) {
            return BYTES.clone();
        }
        // Start at the power of 10 at or below the lowest discernible value and stop at the first one covering
        // the highest trackable value: every recordable value then has a finite bucket.
        double first = Math.pow(10, Math.floor(Math.log10(layout.lowestDiscernibleValue())));
        return powers(10, first, layout.highestTrackableValue());
    }

    private static double[] powers(double factor, double first, double last) {
        List<Double> values = new ArrayList<>();
        for (double v = first; ; v *= factor) {
            values.add(v);
            if (v >= last) {
                break;
            }
        }
        double[] result = new double[values.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = values.get(i);
        }
        return result;
    }
}
