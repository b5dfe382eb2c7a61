package io.streammetrics.metric;

import io.streammetrics.common.MetricType;
import io.streammetrics.internal.registry.MetricRegistry;
import io.streammetrics.internal.ring.ProducerRings;
import io.streammetrics.metadata.FamilyMetadata;
import io.streammetrics.metadata.SeriesMetadata;

import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * A gauge family; {@link #labels(String...)} gives the {@link Gauge} of one label set, and
 * {@link #callback(DoubleSupplier, String...)} makes a series whose value is sampled whenever a snapshot is taken.
 */
public final class GaugeFamily extends MetricFamily<Gauge> {
    GaugeFamily(FamilyMetadata metadata, MetricRegistry registry, ProducerRings rings) {
        super(metadata, registry, rings);
    }

    @Override
    Gauge newHandle(SeriesMetadata series) {
        return new Gauge(series.id(), rings);
    }

    /**
     * Binds a supplier to the series with these label values: each snapshot samples it on the snapshot's thread. A
     * supplier that throws is isolated (the series keeps its last value), logged once and counted in
     * {@code streammetrics_callback_errors_total}. Binding again replaces the supplier.
     */
    public void callback(DoubleSupplier supplier, String... labelValues) {
        Objects.requireNonNull(supplier, "supplier");
        registry.callback(registry.series(metadata, labelValues), supplier);
    }

    /** Builds a gauge family. */
    public static final class Builder extends FamilyBuilder<Builder, GaugeFamily> {
        Builder(Instruments instruments, String name) {
            super(instruments, name);
        }

        @Override
        public GaugeFamily register() {
            return new GaugeFamily(registerMetadata(MetricType.GAUGE, name), instruments.registry(), instruments.rings());
        }
    }
}
