package io.streammetrics.alert.rule;

import io.streammetrics.alert.expr.EvalContext;
import io.streammetrics.alert.expr.Expr;
import io.streammetrics.alert.expr.Sample;
import io.streammetrics.common.Durations;
import io.streammetrics.window.SampleRing;
import io.streammetrics.window.WindowStore;

import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A condition on how a value moves over a window ({@link RateOfChangeCondition}, {@link TrendCondition}): it keeps
 * a {@link ValueHistory} of the expression spanning the window, sized once the window resolution is known, and has
 * no data when the expression returned no series. Only the judgement of one label set's history differs.
 */
abstract sealed class HistoryCondition implements RuleCondition permits RateOfChangeCondition, TrendCondition {
    final Expr expr;
    final long windowMillis;
    private ValueHistory history;

    HistoryCondition(Expr expr, long windowMillis) {
        this.expr = expr;
        this.windowMillis = windowMillis;
    }

    @Override
    public final void declareWindows(WindowStore windows) {
        expr.declareWindows(windows);
        history = ValueHistory.covering(windowMillis, windows.settings());
    }

    /**
     * Evaluates the expression into the history and returns what {@code judge} reports per label set (see
     * {@link ValueHistory#track}).
     */
    final List<Sample> track(EvalContext context, BiFunction<Sample, SampleRing, Sample> judge) {
        return history.track(context, expr, judge);
    }

    @Override
    public final boolean noData() {
        return history.empty();
    }

    /** The window as rule files write it, for {@code toString}. */
    final String window() {
        return Durations.format(Duration.ofMillis(windowMillis));
    }
}
