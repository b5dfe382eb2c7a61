package io.streammetrics.alert.rule;

import io.streammetrics.alert.expr.Comparison;
import io.streammetrics.alert.expr.Condition;
import io.streammetrics.alert.expr.EvalContext;
import io.streammetrics.alert.expr.ExprParser;
import io.streammetrics.alert.expr.Sample;
import io.streammetrics.common.MetricType;
import io.streammetrics.exemplar.Exemplar;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.window.SeriesSelection;
import io.streammetrics.window.WindowStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code expr > limit} (or {@code >=}, {@code <}, {@code <=}, {@code ==}, {@code !=}) per label set of the
 * expression. With a resolve limit (hysteresis), an active alert stays active until the value no longer satisfies
 * the comparison against the resolve limit, so a value hovering around the limit does not flap: fire above 0.05,
 * resolve below 0.03.
 */
public final class ThresholdCondition implements RuleCondition {
    private final Condition condition;
    private final double resolveLimit;
    /** The histogram and timer selections the expression reads, with their window ranges; set by declareWindows. */
    private volatile Map<SeriesSelection, Long> distributions = Map.of();
    private boolean noData;

    private ThresholdCondition(Condition condition, double resolveLimit) {
        this.condition = condition;
        this.resolveLimit = resolveLimit;
    }

    /**
     * A threshold from {@code expr <op> limit}, such as {@code rate(stream_errors_total[1m]) > 5}.
     *
     * @throws IllegalArgumentException if the text does not parse or has no comparison
     */
    public static ThresholdCondition of(String text) {
        Condition condition = ExprParser.parseCondition(text);
        if (condition.comparison() == null) {
            throw new IllegalArgumentException("threshold expression '" + text + "' needs a comparison such as > 0.5");
        }
        return new ThresholdCondition(condition, Double.NaN);
    }

    /**
     * The same threshold with hysteresis: once active, the alert holds while the value satisfies the comparison
     * against {@code limit} instead.
     *
     * @throws IllegalArgumentException if the resolve limit is on the firing side of the limit, or the comparison is
     *                                  {@code ==} or {@code !=}
     */
    public ThresholdCondition resolveAt(double limit) {
        Comparison comparison = condition.comparison();
        boolean above = comparison == Comparison.GREATER || comparison == Comparison.GREATER_OR_EQUAL;
        boolean below = comparison == Comparison.LESS || comparison == Comparison.LESS_OR_EQUAL;
        if (!above && !below) {
            throw new IllegalArgumentException("a resolve threshold needs >, >=, < or <=, not " + comparison.symbol());
        }
        if (above ? limit > condition.limit() : limit < condition.limit()) {
            throw new IllegalArgumentException("resolve threshold " + limit + " must be on the resolved side of "
                    + comparison.symbol() + " " + condition.limit());
        }
        return new ThresholdCondition(condition, limit);
    }

    @Override
    public void declareWindows(WindowStore windows) {
        condition.expr().declareWindows(windows);
        WindowStore probe = new WindowStore(windows.settings());
        condition.expr().declareWindows(probe);
        Map<SeriesSelection, Long> found = new LinkedHashMap<>();
        probe.requirements().forEach((selection, range) -> {
            if (selection.signal().appliesTo(MetricType.HISTOGRAM)) {
                found.put(selection, range);
            }
        });
        distributions = found;
    }

    /**
     * The exemplar of the worst bucket in the window: of the histogram and timer series the expression reads whose
     * labels agree with {@code labels}, the largest exemplar value recorded within the selection's window, its value
     * in exported units (seconds for timers).
     */
    @Override
    public Exemplar exemplar(EvalContext context, Map<String, String> labels) {
        Exemplar worst = null;
        double worstValue = Double.NEGATIVE_INFINITY;
        for (Map.Entry<SeriesSelection, Long> entry : distributions.entrySet()) {
            long since = context.nowMillis() - entry.getValue();
            Exemplar[] found = new Exemplar[1];
            double[] value = {worstValue};
            entry.getKey().forEachMatch(context.windows().index(context.snapshot()), (family, point) -> {
                if (!(point instanceof HistogramPoint) || !agrees(family.labelNames(), point.labelValues(), labels)) {
                    return;
                }
                double scale = family.type() == MetricType.TIMER ? 1e9 : 1;
                for (Exemplar e : ((HistogramPoint) point).exemplars()) {
                    double v = e.value() / scale;
                    // The largest; of equal ones (a bucket's and the newest), the most recent.
                    if (e.timestampMillis() >= since && (v > value[0] || (v == value[0] && found[0] != null
                            && e.timestampMillis() > found[0].timestampMillis()))) {
                        value[0] = e.value() / scale;
                        found[0] = new Exemplar(e.kind(), e.classicBucket(), value[0], e.traceIdHigh(),
                                e.traceIdLow(), e.spanId(), e.timestampMillis(), e.labels());
                    }
                }
            });
            if (found[0] != null) {
                worst = found[0];
                worstValue = value[0];
            }
        }
        return worst;
    }

    /** Whether a series' labels agree with an alert's on every name both have. */
    private static boolean agrees(List<String> names, List<String> values, Map<String, String> labels) {
        for (int i = 0; i < names.size(); i++) {
            String wanted = labels.get(names.get(i));
            if (wanted != null && !wanted.equals(values.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public List<Sample> holding(EvalContext context, Predicate<Map<String, String>> active) {
        List<Sample> holding = new ArrayList<>();
        List<Sample> samples = condition.expr().evaluate(context);
        noData = samples.isEmpty();
        for (Sample sample : samples) {
            double limit = !Double.isNaN(resolveLimit) && active.test(sample.labels()) ? resolveLimit : condition.limit();
            if (condition.comparison().test(sample.value(), limit)) {
                holding.add(sample);
            }
        }
        return holding;
    }

    @Override
    public boolean noData() {
        return noData;
    }

    @Override
    public String toString() {
        return condition.expr() + " " + condition.comparison().symbol() + " " + condition.limit()
                + (Double.isNaN(resolveLimit) ? "" : " (resolve at " + resolveLimit + ")");
    }
}
