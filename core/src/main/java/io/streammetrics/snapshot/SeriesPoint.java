package io.streammetrics.snapshot;

import java.util.List;

/**
 * The value of one series at snapshot time. Immutable. Subclasses: {@link CounterPoint}, {@link GaugePoint},
 * {@link HistogramPoint}.
 */
public abstract class SeriesPoint {
    private final int seriesId;
    private final List<String> labelValues;
    private final boolean overflow;
    private final long createdMillis;
    private final long updates;
    private final long lastUpdateMillis;

    SeriesPoint(int seriesId, List<String> labelValues, boolean overflow, long createdMillis, long updates,
                long lastUpdateMillis) {
        this.seriesId = seriesId;
        this.labelValues = labelValues;
        this.overflow = overflow;
        this.createdMillis = createdMillis;
        this.updates = updates;
        this.lastUpdateMillis = lastUpdateMillis;
    }

    /** Store slot of the series (stable for the engine's lifetime). */
    public int seriesId() {
        return seriesId;
    }

    /** Label values, in the order of the family's label names; all empty for the overflow series. */
    public List<String> labelValues() {
        return labelValues;
    }

    /** Whether this is the series that takes label sets beyond the family's cardinality limit. */
    public boolean isOverflow() {
        return overflow;
    }

    /** Registration time, epoch millis. */
    public long createdMillis() {
        return createdMillis;
    }

    /** Updates applied to the series so far. */
    public long updates() {
        return updates;
    }

    /** Time of the last applied update, epoch millis, or 0 if none. */
    public long lastUpdateMillis() {
        return lastUpdateMillis;
    }
}
