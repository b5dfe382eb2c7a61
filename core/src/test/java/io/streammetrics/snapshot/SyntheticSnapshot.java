package io.streammetrics.snapshot;

import io.streammetrics.metadata.FamilyMetadata;
import io.streammetrics.common.MetricType;
import io.streammetrics.common.Unit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds counter and gauge snapshots by hand, for rule tests that want exact histories without an engine (histogram
 * tests use a real engine).
 */
public final class SyntheticSnapshot {
    private final long timestampMillis;
    private final Map<String, Family> families = new LinkedHashMap<>();

    private record Family(MetricType type, List<String> labelNames, List<SeriesPoint> points) {
    }

    private SyntheticSnapshot(long timestampMillis) {
        this.timestampMillis = timestampMillis;
    }

    /** A snapshot taken at {@code timestampMillis}. */
    public static SyntheticSnapshot at(long timestampMillis) {
        return new SyntheticSnapshot(timestampMillis);
    }

    /** Adds a counter series (family registered without {@code _total}); last update = the snapshot time. */
    public SyntheticSnapshot counter(String family, List<String> labelNames, double value, String... labelValues) {
        return point(family, MetricType.COUNTER, labelNames, value, timestampMillis, labelValues);
    }

    /** Adds a gauge series; last update = the snapshot time. */
    public SyntheticSnapshot gauge(String family, List<String> labelNames, double value, String... labelValues) {
        return point(family, MetricType.GAUGE, labelNames, value, timestampMillis, labelValues);
    }

    /** Adds a series with an explicit last update time. */
    public SyntheticSnapshot point(String family, MetricType type, List<String> labelNames, double value,
                                   long lastUpdateMillis, String... labelValues) {
        Family f = families.computeIfAbsent(family, k -> new Family(type, labelNames, new ArrayList<>()));
        int id = f.points().size();
        List<String> values = List.of(labelValues);
        f.points().add(type == MetricType.COUNTER
                ? new CounterPoint(id, values, false, 0, 1, lastUpdateMillis, (long) value, value)
                : new GaugePoint(id, values, false, 0, 1, lastUpdateMillis, value));
        return this;
    }

    /** The snapshot. */
    public MetricsSnapshot build() {
        List<FamilySnapshot> result = new ArrayList<>();
        families.forEach((name, f) -> result.add(new FamilySnapshot(new FamilyMetadata(result.size(), f.type(), name,
                "", null, f.labelNames(), Integer.MAX_VALUE, null), List.copyOf(f.points()))));
        return new MetricsSnapshot(timestampMillis, List.copyOf(result));
    }
}
