package io.streammetrics.window;

/** How the {@code *_over_time} functions reduce the samples of a window, as PromQL's functions of the same names. */
public enum OverTime {
    AVG, MIN, MAX, SUM, COUNT;

    /** Reduces the samples of {@code ring} taken after {@code nowMillis - rangeMillis}; NaN when there are none. */
    public double apply(SampleRing ring, long nowMillis, long rangeMillis) {
        long after = nowMillis - rangeMillis;
        int from = ring.indexAtOrBefore(after) + 1;
        int n = ring.size() - from;
        if (n <= 0) {
            return Double.NaN;
        }
        double result = this == MIN ? Double.POSITIVE_INFINITY : this == MAX ? Double.NEGATIVE_INFINITY : 0;
        for (int i = from; i < ring.size(); i++) {
            double v = ring.valueAt(i);
            switch (this) {
                case MIN -> result = Math.min(result, v);
                case MAX -> result = Math.max(result, v);
                default -> result += v;
            }
        }
        return switch (this) {
            case AVG -> result / n;
            case COUNT -> n;
            default -> result;
        };
    }
}
