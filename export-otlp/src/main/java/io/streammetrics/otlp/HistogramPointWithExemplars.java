package io.streammetrics.otlp;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;

import java.util.List;

/**
 * An explicit-bucket histogram point with exemplars: the SDK's public {@code HistogramPointData.create} takes none
 * (only its internal immutable class does), so this wraps the created point and adds them.
 */
final class HistogramPointWithExemplars implements HistogramPointData {
    private final HistogramPointData point;
    private final List<DoubleExemplarData> exemplars;

    private HistogramPointWithExemplars(HistogramPointData point, List<DoubleExemplarData> exemplars) {
        this.point = point;
        this.exemplars = exemplars;
    }

    /** {@code point} itself when there are no exemplars, else it with them. */
    static HistogramPointData of(HistogramPointData point, List<DoubleExemplarData> exemplars) {
        return exemplars.isEmpty() ? point : new HistogramPointWithExemplars(point, exemplars);
    }

    @Override
    public double getSum() {
        return point.getSum();
    }

    @Override
    public long getCount() {
        return point.getCount();
    }

    @Override
    public boolean hasMin() {
        return point.hasMin();
    }

    @Override
    public double getMin() {
        return point.getMin();
    }

    @Override
    public boolean hasMax() {
        return point.hasMax();
    }

    @Override
    public double getMax() {
        return point.getMax();
    }

    @Override
    public List<Double> getBoundaries() {
        return point.getBoundaries();
    }

    @Override
    public List<Long> getCounts() {
        return point.getCounts();
    }

    @Override
    public long getStartEpochNanos() {
        return point.getStartEpochNanos();
    }

    @Override
    public long getEpochNanos() {
        return point.getEpochNanos();
    }

    @Override
    public Attributes getAttributes() {
        return point.getAttributes();
    }

    @Override
    public List<DoubleExemplarData> getExemplars() {
        return exemplars;
    }
}
