package io.streammetrics.metric;

import io.streammetrics.internal.store.MetricStore;

/** The kinds of metric the engine records. */
public enum MetricType {
    /** A monotonically increasing total. */
    COUNTER(MetricStore.TYPE_COUNTER),
    /** A value that goes up and down; last write wins. */
    GAUGE(MetricStore.TYPE_GAUGE),
    /** A distribution of non-negative integer values in HdrHistogram buckets. */
    HISTOGRAM(MetricStore.TYPE_HISTOGRAM),
    /** A histogram of durations recorded in nanoseconds and exported in seconds. */
    TIMER(MetricStore.TYPE_TIMER);

    private final int storeCode;

    MetricType(int storeCode) {
        this.storeCode = storeCode;
    }

    /** The code written into the store's family records. */
    public int storeCode() {
        return storeCode;
    }

    /** The type with the given store code. */
    public static MetricType fromStoreCode(int code) {
        for (MetricType type : values()) {
            if (type.storeCode == code) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown metric type code " + code);
    }

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
