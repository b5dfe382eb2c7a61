package io.streammetrics.common;

/** The kinds of metric the engine records. */
public enum MetricType {
    /** A monotonically increasing total. */
    COUNTER,
    /** A value that goes up and down; last write wins. */
    GAUGE,
    /** A distribution of non-negative integer values in HdrHistogram buckets. */
    HISTOGRAM,
    /** A histogram of durations recorded in nanoseconds and exported in seconds. */
    TIMER;

    /**
     * Recorded units per exported unit: 1e9 for timers (nanoseconds recorded, seconds exported), 1 for everything
     * else. Exporters divide values, sums and compare bucket bounds by it.
     */
    public double exportScale() {
        return this == TIMER ? 1e9 : 1;
    }

    /** Whether series of this type keep a histogram record. */
    public boolean isDistribution() {
        return this == HISTOGRAM || this == TIMER;
    }
}
