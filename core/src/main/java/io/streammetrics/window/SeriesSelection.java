package io.streammetrics.window;

import io.streammetrics.snapshot.FamilySnapshot;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.snapshot.SeriesPoint;

import java.util.function.BiConsumer;

/** The series one reference in a rule reads (a selector), and which signal of them. */
public interface SeriesSelection {
    /** What of each series is tracked. */
    Signal signal();

    /** The bound of a {@link Signal#BUCKET} selection. */
    double bound();

    /** Calls {@code action} for every series of {@code snapshot} this selection matches. */
    void forEachMatch(MetricsSnapshot snapshot, BiConsumer<FamilySnapshot, SeriesPoint> action);

    /** The key of a matched series. */
    default SeriesKey key(FamilySnapshot family, SeriesPoint point) {
        return new SeriesKey(family.name(), point.labelValues(), point.isOverflow(), signal(), bound());
    }
}
