package io.streammetrics.window;

/**
 * Least-squares regression of a window's samples against time, as PromQL's {@code predict_linear} and
 * {@code deriv}: the slope is per second, and the prediction extrapolates from the fitted line at the newest
 * sample's time.
 */
public final class LinearFit {
    private LinearFit() {
    }

    /**
     * The value the fitted line predicts {@code horizonSeconds} after {@code nowMillis}, using the samples taken
     * after {@code nowMillis - rangeMillis}; NaN with fewer than two samples.
     */
    public static double predict(SampleRing ring, long nowMillis, long rangeMillis, double horizonSeconds) {
        int from = ring.indexAtOrBefore(nowMillis - rangeMillis) + 1;
        int n = ring.size() - from;
        if (n < 2) {
            return Double.NaN;
        }
        // x is relative to now, so the intercept is the fitted value now and large epoch millis lose no precision.
        double sumX = 0;
        double sumY = 0;
        double sumXY = 0;
        double sumXX = 0;
        for (int i = from; i < ring.size(); i++) {
            double x = (ring.timeAt(i) - nowMillis) / 1000.0;
            double y = ring.valueAt(i);
            sumX += x;
            sumY += y;
            sumXY += x * y;
            sumXX += x * x;
        }
        double denominator = n * sumXX - sumX * sumX;
        if (denominator == 0) {
            return Double.NaN;
        }
        double slope = (n * sumXY - sumX * sumY) / denominator;
        double intercept = (sumY - slope * sumX) / n;
        return intercept + slope * horizonSeconds;
    }
}
