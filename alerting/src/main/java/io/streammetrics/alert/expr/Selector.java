package io.streammetrics.alert.expr;

import io.streammetrics.common.MetricType;
import io.streammetrics.common.Unit;
import io.streammetrics.snapshot.FamilySnapshot;
import io.streammetrics.snapshot.SeriesPoint;
import io.streammetrics.window.SeriesIndex;
import io.streammetrics.window.SeriesSelection;
import io.streammetrics.window.Signal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.ToDoubleFunction;

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
    public void forEachMatch(SeriesIndex index, BiConsumer<FamilySnapshot, SeriesPoint> action) {
        for (FamilySnapshot family : index.snapshot().families()) {
            if (!signal.appliesTo(family.type()) || !names(family)) {
                continue;
            }
            List<String> labelNames = family.labelNames();
            int[] labels = new int[matchers.size()];
            List<SeriesPoint> candidates = family.points();
            for (int m = 0; m < labels.length; m++) {
                LabelMatcher matcher = matchers.get(m);
                labels[m] = labelNames.indexOf(matcher.name());
                // An equality on one of the family's labels narrows the scan to the series with that value.
                if (labels[m] >= 0 && matcher.op() == LabelMatcher.Op.EQUAL && candidates == family.points()) {
                    candidates = index.withLabel(family, matcher.name(), matcher.value());
                }
            }
            for (SeriesPoint point : candidates) {
                if (matches(labels, point)) {
                    action.accept(family, point);
                }
            }
        }
    }

    /**
     * One sample per matching series of this evaluation's snapshot, valued by {@code value}; series whose value is
     * NaN (undefined, such as a rate without history) are left out.
     */
    List<Sample> collect(EvalContext context, ToDoubleFunction<SeriesIndex.Match> value) {
        SeriesIndex index = context.windows().index(context.snapshot());
        List<SeriesIndex.Match> matched = index.matches(this);
        List<Sample> samples = new ArrayList<>(matched.size());
        for (SeriesIndex.Match match : matched) {
            double v = value.applyAsDouble(match);
            if (!Double.isNaN(v)) {
                samples.add(new Sample(index.labels(match.family(), match.point()), v));
            }
        }
        return samples;
    }

    private boolean names(FamilySnapshot family) {
        String registered = family.name();
        if (registered.equals(familyName)) {
            return true;
        }
        // Every exported spelling extends the registered name: most families are told apart without building one.
        if (!familyName.startsWith(registered)) {
            return false;
        }
        Unit unit = family.type() == MetricType.TIMER ? Unit.SECONDS : family.unit();
        String suffixed = unit == null || registered.endsWith("_" + unit.name()) ? registered
                : registered + "_" + unit.name();
        if (family.type() == MetricType.COUNTER) {
            return familyName.equals(registered + "_total") || familyName.equals(suffixed + "_total");
        }
        return familyName.equals(suffixed);
    }

    /** Whether the point satisfies every matcher; {@code labels} holds each matcher's label index, -1 if absent. */
    private boolean matches(int[] labels, SeriesPoint point) {
        for (int m = 0; m < labels.length; m++) {
            String value = labels[m] < 0 || point.isOverflow() ? "" : point.labelValues().get(labels[m]);
            if (!matchers.get(m).matchesValue(value)) {
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
