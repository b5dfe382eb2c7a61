package io.streammetrics.metric;

import io.streammetrics.common.MetricType;
import io.streammetrics.internal.registry.MetricRegistry;
import io.streammetrics.internal.ring.ProducerRings;
import io.streammetrics.metadata.FamilyMetadata;
import io.streammetrics.metadata.SeriesMetadata;

/** A histogram family; {@link #labels(String...)} gives the {@link Histogram} of one label set. */
public final class HistogramFamily extends MetricFamily<Histogram> {
    HistogramFamily(FamilyMetadata metadata, MetricRegistry registry, ProducerRings rings) {
        super(metadata, registry, rings);
    }

    @Override
    Histogram newHandle(SeriesMetadata series) {
        return new Histogram(series.id(), series.histogramIndex(), rings);
    }

    /** Builds a histogram family. */
    public static final class Builder extends DistributionBuilder<Builder, HistogramFamily> {
        Builder(Instruments instruments, String name) {
            super(instruments, name);
        }

        @Override
        public HistogramFamily register() {
            return new HistogramFamily(registerMetadata(MetricType.HISTOGRAM, name), instruments.registry(),
                    instruments.rings());
        }
    }
}
