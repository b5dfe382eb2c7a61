package io.streammetrics.snapshot;

import java.util.List;

/** A gauge's value at snapshot time. */
public final class GaugePoint extends SeriesPoint {
    private final double value;

    GaugePoint(int seriesId, List<String> labelValues, boolean overflow, long createdMillis, long updates,
               long lastUpdateMillis, double value) {
        super(seriesId, labelValues, overflow, createdMillis, updates, lastUpdateMillis);
        this.value = value;
    }

    public double value() {
        return value;
    }

    @Override
    public String toString() {
        return "GaugePoint" + labelValues() + "=" + value;
    }
}
