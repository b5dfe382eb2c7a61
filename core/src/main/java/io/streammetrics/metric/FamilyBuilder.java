package io.streammetrics.metric;

import io.streammetrics.metadata.FamilyMetadata;
import io.streammetrics.common.MetricType;
import io.streammetrics.common.Unit;

import java.util.List;
import java.util.Objects;

/**
 * Common settings of every family builder: help, unit, label names and cardinality limit.
 *
 * @param <B> the concrete builder
 * @param <F> the family it registers
 */
public abstract class FamilyBuilder<B extends FamilyBuilder<B, F>, F> {
    final Instruments instruments;
    final String name;
    String help = "";
    Unit unit;
    List<String> labelNames = List.of();
    int cardinalityLimit;
    /** Set by {@link DistributionBuilder}; null: the registry's default for the family. */
    double[] classicUpperBounds;

    FamilyBuilder(Instruments instruments, String name) {
        this.instruments = instruments;
        this.name = name;
        this.cardinalityLimit = instruments.defaultCardinalityLimit();
    }

    @SuppressWarnings("unchecked")
    final B self() {
        return (B) this;
    }

    /** Help text, shown as {@code # HELP} by Prometheus and as the description in OTLP. */
    public B help(String help) {
        this.help = Objects.requireNonNull(help, "help");
        return self();
    }

    /** The base unit. */
    public B unit(Unit unit) {
        this.unit = Objects.requireNonNull(unit, "unit");
        return self();
    }

    /** Label names, in the order {@code labels(...)} takes their values. */
    public B labelNames(String... labelNames) {
        for (String labelName : labelNames) {
            Objects.requireNonNull(labelName, "label name");
        }
        this.labelNames = List.of(labelNames);
        return self();
    }

    /**
     * Distinct label sets this family admits; further ones share one overflow series labelled
     * {@code otel_metric_overflow="true"}. Defaults to the engine's limit.
     */
    public B cardinalityLimit(int limit) {
        this.cardinalityLimit = limit;
        return self();
    }

    /**
     * Registers the family, or returns the one already registered under this name with the same type, unit,
     * labels and (histograms and timers) classic upper bounds.
     *
     * @throws IllegalArgumentException for an invalid name or labels, or a conflicting earlier registration
     * @throws IllegalStateException when the store is full
     */
    public abstract F register();

    FamilyMetadata registerMetadata(MetricType type, String familyName) {
        return instruments.registry().registerFamily(type, familyName, help, unit, labelNames, cardinalityLimit,
                classicUpperBounds);
    }
}
