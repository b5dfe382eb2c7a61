package io.streammetrics.metric;

import io.streammetrics.common.EngineClock;
import io.streammetrics.common.MetricType;
import io.streammetrics.common.Unit;
import io.streammetrics.internal.registry.MetricRegistry;
import io.streammetrics.internal.ring.ProducerRings;
import io.streammetrics.metadata.FamilyMetadata;
import io.streammetrics.metadata.SeriesMetadata;

/**
 * A timer family; {@link #labels(String...)} gives the {@link Timer} of one label set. Its unit is always seconds
 * (recorded in nanoseconds).
 */
public final class TimerFamily extends MetricFamily<Timer> {
    private final EngineClock clock;

    TimerFamily(FamilyMetadata metadata, MetricRegistry registry, ProducerRings rings, EngineClock clock) {
        super(metadata, registry, rings);
        this.clock = clock;
    }

    @Override
    Timer newHandle(SeriesMetadata series) {
        return new Timer(series.id(), series.histogramIndex(), rings, clock);
    }

    /** Builds a timer family. */
    public static final class Builder extends DistributionBuilder<Builder, TimerFamily> {
        Builder(Instruments instruments, String name) {
            super(instruments, name);
            this.unit = Unit.SECONDS;
        }

        @Override
        public Builder unit(Unit unit) {
            if (!Unit.SECONDS.equals(unit)) {
                throw new IllegalArgumentException("timer '" + name + "' records durations: its unit is seconds, not " + unit);
            }
            return this;
        }

        @Override
        public TimerFamily register() {
            return new TimerFamily(registerMetadata(MetricType.TIMER, name), instruments.registry(),
                    instruments.rings(), instruments.clock());
        }
    }
}
