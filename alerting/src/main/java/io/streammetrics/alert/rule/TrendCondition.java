package io.streammetrics.alert.rule;

import io.streammetrics.alert.expr.Comparison;
import io.streammetrics.alert.expr.EvalContext;
import io.streammetrics.alert.expr.Expr;
import io.streammetrics.alert.expr.ExprParser;
import io.streammetrics.alert.expr.Sample;
import io.streammetrics.common.Durations;
import io.streammetrics.window.LinearFit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Holds when a least-squares line through the value's recent history predicts that it satisfies a comparison
 * {@code horizon} from now, as PromQL's {@code predict_linear(v[window], horizon) >= limit}: "queue full in under
 * 10 minutes". The alert's value is the predicted value. A label set needs history spanning half the window before
 * its prediction counts, so that two noisy samples do not extrapolate wildly.
 */
public final class TrendCondition extends HistoryCondition {
    private final double horizonSeconds;
    private final Comparison comparison;
    private final double limit;

    private TrendCondition(Expr expr, long windowMillis, double horizonSeconds, Comparison comparison, double limit) {
        super(expr, windowMillis);
        this.horizonSeconds = horizonSeconds;
        this.comparison = comparison;
        this.limit = limit;
    }

    /**
     * @param expr       the value, such as {@code last(stream_queue_size)}
     * @param window     how much history the regression uses
     * @param horizon    how far ahead it predicts
     * @param comparison how the prediction is compared
     * @param limit      the limit
     * @throws IllegalArgumentException naming a bad argument
     */
    public static TrendCondition of(String expr, Duration window, Duration horizon, Comparison comparison, double limit) {
        if (window.toMillis() <= 0 || horizon.isNegative()) {
            throw new IllegalArgumentException("trend window must be positive and horizon not negative, got "
                    + Durations.format(window) + " and " + Durations.format(horizon));
        }
        return new TrendCondition(ExprParser.parse(expr), window.toMillis(), horizon.toMillis() / 1000.0,
                Objects.requireNonNull(comparison, "comparison"), limit);
    }

    @Override
    public List<Sample> holding(EvalContext context, Predicate<Map<String, String>> active) {
        long now = context.nowMillis();
        return track(context, (sample, ring) -> {
            if (now - ring.timeAt(0) < windowMillis / 2) {
                return null;
            }
            double predicted = LinearFit.predict(ring, now, windowMillis, horizonSeconds);
            return comparison.test(predicted, limit) ? new Sample(sample.labels(), predicted) : null;
        });
    }

    @Override
    public String toString() {
        return "predict_linear(" + expr + "[" + window() + "], "
                + horizonSeconds + "s) " + comparison.symbol() + " " + limit;
    }
}
