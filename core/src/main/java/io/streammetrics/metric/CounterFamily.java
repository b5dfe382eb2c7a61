package io.streammetrics.metric;

import io.streammetrics.common.MetricType;
import io.streammetrics.internal.registry.MetricRegistry;
import io.streammetrics.internal.ring.ProducerRings;
import io.streammetrics.metadata.FamilyMetadata;
import io.streammetrics.metadata.SeriesMetadata;

import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * A counter family; {@link #labels(String...)} gives the {@link Counter} of one label set, and
 * {@link #callback(DoubleSupplier, String...)} makes a series whose total is sampled whenever a snapshot is taken.
 */
public final class CounterFamily extends MetricFamily<Counter> {
    CounterFamily(FamilyMetadata metadata, MetricRegistry registry, ProducerRings rings) {
        super(metadata, registry, rings);
    }

    @Override
    Counter newHandle(SeriesMetadata series) {
        return new Counter(series.id(), rings);
    }

    /**
     * Binds a supplier of a cumulative total kept elsewhere (CPU seconds, GC counts) to the series with these label
     * values: each snapshot samples it on the snapshot's thread, as client_java's {@code CounterWithCallback} does. The
     * series then takes its value from the supplier only. A sample below the previous one is ignored, so that the
     * counter never goes backwards; a supplier that throws is isolated like a callback gauge's and counted in
     * {@code streammetrics_callback_errors_total}. Binding again replaces the supplier.
     */
    public void callback(DoubleSupplier supplier, String... labelValues) {
        Objects.requireNonNull(supplier, "supplier");
        registry.callback(registry.series(metadata, labelValues), supplier);
    }

    /** Builds a counter family. A trailing {@code _total} in the name is dropped; exporters add it back. */
    public static final class Builder extends FamilyBuilder<Builder, CounterFamily> {
        Builder(Instruments instruments, String name) {
            super(instruments, name);
        }

        @Override
        public CounterFamily register() {
            String familyName = name != null && name.endsWith("_total") ? name.substring(0, name.length() - 6) : name;
            return new CounterFamily(registerMetadata(MetricType.COUNTER, familyName), instruments.registry(),
                    instruments.rings());
        }
    }
}
