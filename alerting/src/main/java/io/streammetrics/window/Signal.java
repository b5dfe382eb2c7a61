package io.streammetrics.window;

import io.streammetrics.common.HistogramLayout;
import io.streammetrics.common.MetricType;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.FamilySnapshot;
import io.streammetrics.snapshot.GaugePoint;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.SeriesPoint;

/**
 * What a window tracks of a series, named as the Prometheus exposition names it: a counter's or gauge's value, a
 * histogram's {@code _count}, {@code _sum} or {@code _bucket{le}}, or its whole bucket distribution (for
 * quantiles). Distribution values are in the exported base unit: a timer's nanoseconds become seconds.
 */
public enum Signal {
    /** A counter's total or a gauge's value. */
    VALUE,
    /** A histogram's count. */
    COUNT,
    /** A histogram's sum, in base units. */
    SUM,
    /**
     * A histogram's count of values at most a bound (in base units): the buckets whose every value is at most the
     * bound, so a value in the bucket that straddles the bound counts as above it (an error of at most one HDR
     * bucket width, {@code 2^-m} relative).
     */
    BUCKET,
    /** A histogram's bucket counts, for windowed quantiles. */
    DISTRIBUTION;

    private static final double NANOS_PER_SECOND = 1e9;

    /** Whether the signal only grows (so it is reset-adjusted and differenced). */
    public boolean monotonic(MetricType type) {
        return this != VALUE || type == MetricType.COUNTER;
    }

    /** Whether the signal applies to a family of this type. */
    public boolean appliesTo(MetricType type) {
        return (this == VALUE) != type.isDistribution();
    }

    /** The scalar this signal reads from a point; {@code bound} is the {@code le} of {@link #BUCKET}. */
    public double read(FamilySnapshot family, SeriesPoint point, double bound) {
        switch (this) {
            case VALUE:
                return point instanceof CounterPoint c ? c.value() : ((GaugePoint) point).value();
            case COUNT:
                return ((HistogramPoint) point).count();
            case SUM:
                return ((HistogramPoint) point).sum() / scale(family.type());
            case BUCKET:
                return countAtMost((HistogramPoint) point, bound * scale(family.type()));
            default:
                throw new IllegalStateException(this + " is not a scalar signal");
        }
    }

    /** Recorded units per base unit: 1e9 for timers (nanoseconds), 1 otherwise. */
    public static double scale(MetricType type) {
        return type == MetricType.TIMER ? NANOS_PER_SECOND : 1.0;
    }

    private static long countAtMost(HistogramPoint point, double bound) {
        HistogramLayout layout = point.layout();
        long total = 0;
        for (int i = point.lowIndex(); i <= point.highIndex(); i++) {
            if (layout.highestValueAt(i) > bound) {
                break;
            }
            total += point.countAt(i);
        }
        return total;
    }
}
