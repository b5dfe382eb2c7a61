package io.streammetrics.snapshot;

import io.streammetrics.exemplar.Exemplar;

import java.util.List;

/** A counter's total at snapshot time. */
public final class CounterPoint extends SeriesPoint {
    private final long integerPart;
    private final double value;
    private final List<Exemplar> exemplars;

    CounterPoint(int seriesId, List<String> labelValues, boolean overflow, long createdMillis, long updates,
                 long lastUpdateMillis, long integerPart, double value) {
        this(seriesId, labelValues, overflow, createdMillis, updates, lastUpdateMillis, integerPart, value, List.of());
    }

    CounterPoint(int seriesId, List<String> labelValues, boolean overflow, long createdMillis, long updates,
                 long lastUpdateMillis, long integerPart, double value, List<Exemplar> exemplars) {
        super(seriesId, labelValues, overflow, createdMillis, updates, lastUpdateMillis);
        this.integerPart = integerPart;
        this.value = value;
        this.exemplars = exemplars;
    }

    /** The counter's exemplar (at most one), unmodifiable; empty when none was recorded. */
    public List<Exemplar> exemplars() {
        return exemplars;
    }

    /** The total: never negative, never wraps (past {@code Long.MAX_VALUE} it grows as a double). */
    public double value() {
        return value;
    }

    /**
     * The sum of the integer increments, exact beyond 2^53 (fractional increments are in {@link #value()} only);
     * {@code Long.MAX_VALUE} once the total has passed it.
     */
    public long longValue() {
        return integerPart;
    }

    @Override
    public String toString() {
        return "CounterPoint" + labelValues() + "=" + value;
    }
}
