package io.streammetrics.alert.expr;

import io.streammetrics.alert.LabelMatcher;
import io.streammetrics.metric.MetricType;
import io.streammetrics.metric.Unit;
import io.streammetrics.snapshot.FamilySnapshot;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.snapshot.SeriesPoint;
import io.streammetrics.window.SeriesSelection;
import io.streammetrics.window.Signal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.ToDoubleBiFunction;

/**
 * {@code name{label="v", ...}}: the series of one family whose labels match. The name is the family's registered
 * name or its exported one ({@code _total} on counters, the unit suffix such as {@code _seconds}); a histogram's or
 * timer's parts are named as Prometheus exposes them: {@code name_count}, {@code name_sum} and
 * {@code name_bucket{le="0.25"}}. Distribution values are in base units (seconds for timers).
 */
final class Selector implements SeriesSelection {
    private final String name;
    private final String familyName;
    private final List<LabelMatcher> matchers;
    private final Signal signal;
    private final double bound;

    Selector(String name, String familyName, List<LabelMatcher> matchers, Signal signal, double bound) {
        this.name = name;
        this.familyName = familyName;
        this.matchers = List.copyOf(matchers);
        this.signal = signal;
        this.bound = bound;
    }

    /** The same series, read as another signal (a histogram's distribution, for {@code quantile}). */
    Selector as(Signal other) {
        return new Selector(name, familyName, matchers, other, bound);
    }

    @Override
    public Signal signal() {
        return signal;
    }

    @Override
    public double bound() {
        return bound;
    }

    List<LabelMatcher> matchers() {
        return matchers;
    }

    @Override
    public void forEachMatch(MetricsSnapshot snapshot, BiConsumer<FamilySnapshot, SeriesPoint> action) {
        for (FamilySnapshot family : snapshot.families()) {
            if (!signal.appliesTo(family.type()) || !names(family)) {
                continue;
            }
            for (SeriesPoint point : family.points()) {
                if (matches(family, point)) {
                    action.accept(family, point);
                }
            }
        }
    }

    /**
     * One sample per matching series of this evaluation's snapshot, valued by {@code value}; series whose value is
     * NaN (undefined, such as a rate without history) are left out.
     */
    List<Sample> collect(EvalContext context, ToDoubleBiFunction<FamilySnapshot, SeriesPoint> value) {
        List<Sample> samples = new ArrayList<>();
        forEachMatch(context.snapshot(), (family, point) -> {
            double v = value.applyAsDouble(family, point);
            if (!Double.isNaN(v)) {
                samples.add(new Sample(Labels.of(family, point), v));
            }
        });
        return samples;
    }

    private boolean names(FamilySnapshot family) {
        String registered = family.name();
        if (registered.equals(familyName)) {
            return true;
        }
        Unit unit = family.type() == MetricType.TIMER ? Unit.SECONDS : family.unit();
        String suffixed = unit == null || registered.endsWith("_" + unit.name()) ? registered
                : registered + "_" + unit.name();
        if (family.type() == MetricType.COUNTER) {
            return familyName.equals(registered + "_total") || familyName.equals(suffixed + "_total");
        }
        return familyName.equals(suffixed);
    }

    private boolean matches(FamilySnapshot family, SeriesPoint point) {
        for (LabelMatcher matcher : matchers) {
            int index = family.labelNames().indexOf(matcher.name());
            String value = index < 0 || point.isOverflow() ? "" : point.labelValues().get(index);
            if (!matcher.matchesValue(value)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return matchers.isEmpty() ? name : name + matchers.toString().replace('[', '{').replace(']', '}');
    }
}
