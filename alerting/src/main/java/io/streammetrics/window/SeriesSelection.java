package io.streammetrics.window;

import io.streammetrics.snapshot.FamilySnapshot;
import io.streammetrics.snapshot.SeriesPoint;

import java.util.function.BiConsumer;

/** The series one reference in a rule reads (a selector), and which signal of them. */
public interface SeriesSelection {
    /** What of each series is tracked. */
    Signal signal();

    /** The bound of a {@link Signal#BUCKET} selection. */
    double bound();

    /**
     * Calls {@code action} for every series of the indexed snapshot this selection matches, in snapshot order.
     * Called once per snapshot by {@link SeriesIndex#matches}, which callers use instead.
     */
    void forEachMatch(SeriesIndex index, BiConsumer<FamilySnapshot, SeriesPoint> action);

    /** The key of a matched series. */
    default SeriesKey key(FamilySnapshot family, SeriesPoint point) {
        return new SeriesKey(family.name(), point.labelValues(), point.isOverflow(), signal(), bound());
    }
}
