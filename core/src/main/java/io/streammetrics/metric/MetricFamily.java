package io.streammetrics.metric;

import io.streammetrics.common.MetricType;
import io.streammetrics.common.Unit;
import io.streammetrics.internal.registry.MetricRegistry;
import io.streammetrics.internal.ring.ProducerRings;
import io.streammetrics.metadata.FamilyMetadata;
import io.streammetrics.metadata.SeriesMetadata;

import java.util.List;

/**
 * A registered metric family: a name, a type, label names, and one series per distinct set of label values.
 *
 * <p>{@link #labels(String...)} resolves a label set to its handle once; keep the handle and record on it. The
 * lookup validates the values and may register a new series, so it belongs at set-up time, not in the loop that
 * records (the same rule as client_java's {@code labelValues} and the OpenTelemetry SDK's bound instruments).
 *
 * @param <H> the handle type
 */
public abstract class MetricFamily<H> {
    final FamilyMetadata metadata;
    final MetricRegistry registry;
    final ProducerRings rings;

    MetricFamily(FamilyMetadata metadata, MetricRegistry registry, ProducerRings rings) {
        this.metadata = metadata;
        this.registry = registry;
        this.rings = rings;
    }

    /**
     * The handle of the series with these label values (in the order of {@link #labelNames()}); the same values
     * always give the same series. A label set beyond the family's cardinality limit gets the overflow series.
     *
     * @throws IllegalArgumentException on a wrong number of values, a null value, or values too long for the store
     */
    @SuppressWarnings("unchecked")
    public final H labels(String... labelValues) {
        SeriesMetadata series = registry.series(metadata, labelValues);
        Object handle = registry.handle(series);
        if (handle == null) {
            // Two threads may both get here for a new series; both handles address the same slot, so either is right.
            handle = newHandle(series);
            registry.handle(series, handle);
        }
        return (H) handle;
    }

    abstract H newHandle(SeriesMetadata series);

    public final String name() {
        return metadata.name();
    }

    public final String help() {
        return metadata.help();
    }

    /** The unit, or null if none was given. */
    public final Unit unit() {
        return metadata.unit();
    }

    public final List<String> labelNames() {
        return metadata.labelNames();
    }

    public final MetricType type() {
        return metadata.type();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name() + labelNames() + "]";
    }
}
