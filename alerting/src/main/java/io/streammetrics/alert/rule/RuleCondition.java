package io.streammetrics.alert.rule;

import io.streammetrics.alert.expr.EvalContext;
import io.streammetrics.alert.expr.Sample;
import io.streammetrics.window.WindowStore;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a rule tests at each evaluation: one of {@link ThresholdCondition}, {@link AnomalyCondition},
 * {@link RateOfChangeCondition}, {@link TrendCondition}, {@link AbsenceCondition} or {@link BurnRateCondition}.
 * A condition may keep per-label-set state (a baseline, a value history); it is used by the evaluator thread only.
 */
public interface RuleCondition {
    /** Declares the windows the condition reads. Called once when the rule is loaded. */
    void declareWindows(WindowStore windows);

    /**
     * The label sets for which the condition holds at this evaluation, each with the value the alert reports. A
     * {@code severity} label, when present, sets the alert's severity.
     *
     * @param active whether the alert of a label set is currently pending or firing (for hysteresis)
     */
    List<Sample> holding(EvalContext context, Predicate<Map<String, String>> active);

    /**
     * The exemplar that points at a trace behind the alert of {@code labels}, or null (the default): a threshold
     * rule on a histogram gives the exemplar of the worst bucket recorded in its window.
     */
    default io.streammetrics.exemplar.Exemplar exemplar(EvalContext context, Map<String, String> labels) {
        return null;
    }

    /**
     * Whether the last {@link #holding} found no data: its query returned no series with a value (they vanished, or
     * never existed), as opposed to series for which the condition does not hold. The rule's {@link NoDataState}
     * then applies. The default, for conditions whose subject is missing data (absence), is never.
     */
    default boolean noData() {
        return false;
    }
}
