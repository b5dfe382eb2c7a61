package io.streammetrics.snapshot;

import io.streammetrics.metadata.FamilyMetadata;
import io.streammetrics.common.ClassicBuckets;
import io.streammetrics.common.MetricType;
import io.streammetrics.common.Unit;

import java.util.List;

/**
 * One metric family at snapshot time: its metadata (the family's one immutable {@link FamilyMetadata}, shared with
 * every other reader, not a copy) and the points of its series. Immutable.
 */
public final class FamilySnapshot {
    private final FamilyMetadata metadata;
    private final List<SeriesPoint> points;

    FamilySnapshot(FamilyMetadata metadata, List<SeriesPoint> points) {
        this.metadata = metadata;
        this.points = points;
    }

    /** The family's metadata: name, type, help, unit, label names, classic buckets. */
    public FamilyMetadata metadata() {
        return metadata;
    }

    /** Family name (a counter's without {@code _total}). */
    public String name() {
        return metadata.name();
    }

    public MetricType type() {
        return metadata.type();
    }

    public String help() {
        return metadata.help();
    }

    /** The unit, or null. */
    public Unit unit() {
        return metadata.unit();
    }

    public List<String> labelNames() {
        return metadata.labelNames();
    }

    /**
     * A histogram's or timer's classic upper bounds, as declared at registration (exported units, without
     * {@code +Inf}); empty for counters and gauges. A copy.
     */
    public double[] classicUpperBounds() {
        return metadata.classicUpperBounds();
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
