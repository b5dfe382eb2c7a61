package io.streammetrics.metric;

import io.streammetrics.registry.FamilyDescriptor;
import io.streammetrics.registry.MetricRegistry;
import io.streammetrics.registry.SeriesDescriptor;
import io.streammetrics.ring.ProducerRings;

/** A counter family; {@link #labels(String...)} gives the {@link Counter} of one label set. */
public final class CounterFamily extends MetricFamily<Counter> {
    CounterFamily(FamilyDescriptor descriptor, MetricRegistry registry, ProducerRings rings) {
        super(descriptor, registry, rings);
    }

    @Override
    Counter newHandle(SeriesDescriptor series) {
        return new Counter(series.id(), rings);
    }

    /** Builds a counter family. A trailing {@code _total} in the name is dropped; exporters add it back. */
    public static final class Builder extends FamilyBuilder<Builder, CounterFamily> {
        Builder(Instruments instruments, String name) {
            super(instruments, name);
        }

        @Override
        public CounterFamily register() {
            String familyName = name != null && name.endsWith("_total") ? name.substring(0, name.length() - 6) : name;
            return new CounterFamily(registerDescriptor(MetricType.COUNTER, familyName), instruments.registry(),
                    instruments.rings());
        }
    }
}
