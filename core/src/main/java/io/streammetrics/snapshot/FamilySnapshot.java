package io.streammetrics.snapshot;

import io.streammetrics.common.ClassicBuckets;
import io.streammetrics.common.MetricType;
import io.streammetrics.common.Unit;

import java.util.List;

/** One metric family at snapshot time: its metadata and the points of its series. Immutable. */
public final class FamilySnapshot {
    private final String name;
    private final MetricType type;
    private final String help;
    private final Unit unit;
    private final List<String> labelNames;
    private final ClassicBuckets classicBuckets;
    private final List<SeriesPoint> points;

    FamilySnapshot(String name, MetricType type, String help, Unit unit, List<String> labelNames,
                   ClassicBuckets classicBuckets, List<SeriesPoint> points) {
        this.name = name;
        this.type = type;
        this.help = help;
        this.unit = unit;
        this.labelNames = labelNames;
        this.classicBuckets = classicBuckets;
        this.points = points;
    }

    /** Family name (a counter's without {@code _total}). */
    public String name() {
        return name;
    }

    public MetricType type() {
        return type;
    }

    public String help() {
        return help;
    }

    /** The unit, or null. */
    public Unit unit() {
        return unit;
    }

    public List<String> labelNames() {
        return labelNames;
    }

    /**
     * A histogram's or timer's classic upper bounds, as declared at registration (exported units, without
     * {@code +Inf}); empty for counters and gauges. A copy.
     */
    public double[] classicUpperBounds() {
        return classicBuckets == null ? new double[0] : classicBuckets.upperBounds();
    }

    /** Points in series registration order. */
    public List<SeriesPoint> points() {
        return points;
    }

    /** The point with exactly these label values, or null. */
    public SeriesPoint point(String... labelValues) {
        List<String> wanted = List.of(labelValues);
        for (SeriesPoint point : points) {
            if (!point.isOverflow() && point.labelValues().equals(wanted)) {
                return point;
            }
        }
        return null;
    }

    /** The overflow point, or null if no label set has overflowed. */
    public SeriesPoint overflowPoint() {
        for (SeriesPoint point : points) {
            if (point.isOverflow()) {
                return point;
            }
        }
        return null;
    }
}
