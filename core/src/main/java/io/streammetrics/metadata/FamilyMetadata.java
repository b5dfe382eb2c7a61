package io.streammetrics.metadata;

import io.streammetrics.common.ClassicBuckets;
import io.streammetrics.common.MetricType;
import io.streammetrics.common.Unit;

import java.util.List;

/**
 * What readers know of one metric family: name, type, help, unit, label names, cardinality limit and (histograms and
 * timers) classic buckets. Created once, when the family is registered, and immutable: every field is final and
 * holds an immutable value, so the value may be handed to any thread without a lock (final-field semantics). The
 * family's series are not part of it (they keep growing); the registry publishes them, and a read passes each one to
 * its visitor.
 */
public final class FamilyMetadata {
    private final int index;
    private final MetricType type;
    private final String name;
    private final String help;
    private final Unit unit;
    private final List<String> labelNames;
    private final int cardinalityLimit;
    private final ClassicBuckets classicBuckets;

    /**
     * @param index            the family's slot in the store, dense from 0 in registration order
     * @param labelNames       copied into an unmodifiable list
     * @param classicBuckets   a histogram's or timer's classic buckets; null for counters and gauges
     */
    public FamilyMetadata(int index, MetricType type, String name, String help, Unit unit, List<String> labelNames,
                          int cardinalityLimit, ClassicBuckets classicBuckets) {
        this.index = index;
        this.type = type;
        this.name = name;
        this.help = help;
        this.unit = unit;
        this.labelNames = List.copyOf(labelNames);
        this.cardinalityLimit = cardinalityLimit;
        this.classicBuckets = classicBuckets;
    }

    /** The family's slot in the store: dense from 0 in registration order, for tables kept by family. */
    public int index() {
        return index;
    }

    public MetricType type() {
        return type;
    }

    /** Family name as registered (a counter's without {@code _total}). */
    public String name() {
        return name;
    }

    public String help() {
        return help;
    }

    /** The unit, or null if the family has none. */
    public Unit unit() {
        return unit;
    }

    /** Label names, unmodifiable, in the order series give their values. */
    public List<String> labelNames() {
        return labelNames;
    }

    /** Distinct label sets admitted before new ones go to the overflow series. */
    public int cardinalityLimit() {
        return cardinalityLimit;
    }

    /**
     * A histogram's or timer's classic buckets, declared at registration (default {@code DefaultBuckets}), whose
     * counts the store keeps; null for counters and gauges. Immutable.
     */
    public ClassicBuckets classicBuckets() {
        return classicBuckets;
    }

    /** {@link #classicBuckets()}' upper bounds in exported units without {@code +Inf}; empty for counters and gauges. A copy. */
    public double[] classicUpperBounds() {
        return classicBuckets == null ? new double[0] : classicBuckets.upperBounds();
    }

    @Override
    public String toString() {
        return "FamilyMetadata[" + type + " " + name + labelNames + "]";
    }
}
