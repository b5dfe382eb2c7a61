package io.streammetrics.metadata;

import java.util.List;

/**
 * What readers know of one series: its family, store slot, label values, histogram record and creation time.
 * Created once, when the series is registered, and immutable (final fields holding immutable values), so it is safe
 * to share without a lock. It is all a series holds on the heap besides its handle: the registration state (the
 * handle cache, a callback) is kept by the registry and the snapshot side, not here.
 */
public final class SeriesMetadata {
    private final int id;
    private final int histogramIndex;
    private final FamilyMetadata family;
    private final List<String> labelValues;
    private final boolean overflow;
    private final long createdMillis;

    /**
     * @param labelValues    an unmodifiable list, in the family's label order (kept, not copied: one per series)
     * @param histogramIndex the series' histogram record, or -1 for counters and gauges
     */
    public SeriesMetadata(int id, FamilyMetadata family, List<String> labelValues, int histogramIndex, boolean overflow,
                          long createdMillis) {
        this.id = id;
        this.family = family;
        this.labelValues = labelValues;
        this.histogramIndex = histogramIndex;
        this.overflow = overflow;
        this.createdMillis = createdMillis;
    }

    /** Store slot of this series (stable for the engine's lifetime); what the record path publishes. */
    public int id() {
        return id;
    }

    public FamilyMetadata family() {
        return family;
    }

    /** Label values in the family's label order, unmodifiable; all empty for the overflow series. */
    public List<String> labelValues() {
        return labelValues;
    }

    /** Histogram record index, or -1 for counters and gauges. */
    public int histogramIndex() {
        return histogramIndex;
    }

    /** Whether this is the series that takes label sets beyond the family's cardinality limit. */
    public boolean isOverflow() {
        return overflow;
    }

    /** Registration time, epoch millis (the {@code _created} time of the exposition formats). */
    public long createdMillis() {
        return createdMillis;
    }

    @Override
    public String toString() {
        return "SeriesMetadata[" + id + " " + family.name() + labelValues + (overflow ? " overflow" : "") + "]";
    }
}
