package io.streammetrics.internal.registry;

import io.streammetrics.metadata.SeriesMetadata;

import java.util.function.DoubleSupplier;

/**
 * A callback gauge's or counter's binding: the series and the user's supplier, sampled on the snapshot side (never
 * on the record path). Binding the series again replaces the supplier; the series keeps its binding for good.
 */
public final class SeriesCallback {
    private final SeriesMetadata series;
    private volatile DoubleSupplier supplier;

    SeriesCallback(SeriesMetadata series, DoubleSupplier supplier) {
        this.series = series;
        this.supplier = supplier;
    }

    public SeriesMetadata series() {
        return series;
    }

    /** The supplier bound last. */
    public DoubleSupplier supplier() {
        return supplier;
    }

    void supplier(DoubleSupplier supplier) {
        this.supplier = supplier;
    }
}
