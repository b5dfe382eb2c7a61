package io.streammetrics.internal.registry;

import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * One registered series: its store slot, its label values, and (for histograms and timers) its histogram record.
 * Created once per distinct label set, never removed; immutable but for the cached handle and the callback.
 */
public final class SeriesDescriptor {
    private final int id;
    private final FamilyDescriptor family;
    private final List<String> labelValues;
    private final int histogramIndex;
    private final boolean overflow;
    private final long createdMillis;
    private volatile Object handle;
    private volatile DoubleSupplier callback;
    private volatile boolean callbackFailureLogged;
    private volatile double sample = Double.NaN;

    SeriesDescriptor(int id, FamilyDescriptor family, List<String> labelValues, int histogramIndex, boolean overflow,
                     long createdMillis) {
        this.id = id;
        this.family = family;
        this.labelValues = labelValues;
        this.histogramIndex = histogramIndex;
        this.overflow = overflow;
        this.createdMillis = createdMillis;
    }

    /** Store slot of this series; what the record path publishes. */
    public int id() {
        return id;
    }

    public FamilyDescriptor family() {
        return family;
    }

    /** Label values in the family's label order; all empty for the overflow series. */
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

    /** The handle the family made for this series, or null before the first lookup. */
    public Object handle() {
        return handle;
    }

    /** Caches the family's handle for this series. */
    public void handle(Object handle) {
        this.handle = handle;
    }

    /** Supplier sampled at snapshot time (callback gauges and counters), or null. */
    public DoubleSupplier callback() {
        return callback;
    }

    public void callback(DoubleSupplier callback) {
        this.callback = callback;
    }

    /** The callback's latest sample, or NaN if it never gave one. */
    public double sample() {
        return sample;
    }

    /** Keeps the callback's latest sample (taken under the snapshot lock). */
    public void sample(double value) {
        this.sample = value;
    }

    /** Marks that a failure of this series' callback was logged; true the first time only. */
    public boolean firstCallbackFailure() {
        if (callbackFailureLogged) {
            return false;
        }
        callbackFailureLogged = true;
        return true;
    }
}
