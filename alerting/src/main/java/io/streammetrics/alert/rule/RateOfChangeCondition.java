package io.streammetrics.alert.rule;

import io.streammetrics.alert.expr.Comparison;
import io.streammetrics.alert.expr.EvalContext;
import io.streammetrics.alert.expr.Expr;
import io.streammetrics.alert.expr.ExprParser;
import io.streammetrics.alert.expr.Sample;
import io.streammetrics.common.Durations;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Holds when the percent change of a value over a window, {@code 100 (now - then) / |then|} with {@code then} the
 * value one window earlier, satisfies a comparison: {@code < -50} for "throughput halved within 5 minutes". The
 * alert's value is the percent change. A label set needs a full window of its own history first; a change from 0
 * is infinite (or 0 when still 0).
 */
public final class RateOfChangeCondition extends HistoryCondition {
    private final Comparison comparison;
    private final double percent;

    private RateOfChangeCondition(Expr expr, long windowMillis, Comparison comparison, double percent) {
        super(expr, windowMillis);
        this.comparison = comparison;
        this.percent = percent;
    }

    /**
     * @param expr       the value, such as {@code sum(rate(stream_records_processed_total[1m]))}
     * @param window     how far back the value compared against lies
     * @param comparison how the percent change is compared
     * @param percent    the limit, in percent ({@code -50} for halved)
     * @throws IllegalArgumentException naming a bad argument
     */
    public static RateOfChangeCondition of(String expr, Duration window, Comparison comparison, double percent) {
        if (window.toMillis() <= 0) {
            throw new IllegalArgumentException("rate-of-change window must be positive, got " + Durations.format(window));
        }
        return new RateOfChangeCondition(ExprParser.parse(expr), window.toMillis(),
                Objects.requireNonNull(comparison, "comparison"), percent);
    }

    @Override
    public List<Sample> holding(EvalContext context, Predicate<Map<String, String>> active) {
        return track(context, (sample, ring) -> {
            int then = ring.indexAtOrBefore(context.nowMillis() - windowMillis);
            if (then < 0) {
                return null;
            }
            double before = ring.valueAt(then);
            double change = before == 0 ? (sample.value() == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY,
                    sample.value())) : 100.0 * (sample.value() - before) / Math.abs(before);
            return comparison.test(change, percent) ? new Sample(sample.labels(), change) : null;
        });
    }

    @Override
    public String toString() {
        return "change(" + expr + ", " + window() + ") % "
                + comparison.symbol() + " " + percent;
    }
}
