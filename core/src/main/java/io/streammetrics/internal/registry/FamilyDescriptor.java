package io.streammetrics.internal.registry;

import io.streammetrics.common.ClassicBuckets;
import io.streammetrics.common.MetricType;
import io.streammetrics.common.Unit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One registered metric family: name, type, help, unit, label names, cardinality limit and its series. The series
 * map is read without a lock on lookups and written under the registry's lock.
 */
public final class FamilyDescriptor {
    private final int index;
    private final MetricType type;
    private final String name;
    private final String help;
    private final Unit unit;
    private final List<String> labelNames;
    private final int cardinalityLimit;
    private final ClassicBuckets classicBuckets;
    final Map<List<String>, SeriesDescriptor> byLabels = new ConcurrentHashMap<>();
    /** Series in registration order (overflow last once it exists); replaced copy-on-write under the registry lock. */
    volatile SeriesDescriptor[] series = new SeriesDescriptor[0];
    volatile SeriesDescriptor overflowSeries;
    /** The series counting lookups routed to {@link #overflowSeries}, set with it; null without overflow accounting. */
    volatile SeriesDescriptor overflowCountSeries;
    int distinctLabelSets;

    FamilyDescriptor(int index, MetricType type, String name, String help, Unit unit, List<String> labelNames,
                     int cardinalityLimit, ClassicBuckets classicBuckets) {
        this.index = index;
        this.type = type;
        this.name = name;
        this.help = help;
        this.unit = unit;
        this.labelNames = labelNames;
        this.cardinalityLimit = cardinalityLimit;
        this.classicBuckets = classicBuckets;
    }

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

    public List<String> labelNames() {
        return labelNames;
    }

    /** Distinct label sets admitted before new ones go to the overflow series. */
    public int cardinalityLimit() {
        return cardinalityLimit;
    }

    /**
     * A histogram's or timer's classic buckets, declared at registration (default {@code DefaultBuckets}), whose
     * counts the store keeps; null for counters and gauges.
     */
    public ClassicBuckets classicBuckets() {
        return classicBuckets;
    }

    /** {@link #classicBuckets()}' upper bounds in exported units without {@code +Inf}; empty for counters and gauges. */
    public double[] classicUpperBounds() {
        return classicBuckets == null ? new double[0] : classicBuckets.upperBounds();
    }

    /** Series registered so far, in registration order. */
    public SeriesDescriptor[] series() {
        return series;
    }

    /** The overflow series, or null if no label set has overflowed. */
    public SeriesDescriptor overflowSeries() {
        return overflowSeries;
    }
}
