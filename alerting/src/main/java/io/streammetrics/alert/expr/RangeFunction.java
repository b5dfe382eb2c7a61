package io.streammetrics.alert.expr;

import io.streammetrics.common.Durations;
import io.streammetrics.window.OverTime;
import io.streammetrics.window.ScalarWindow;
import io.streammetrics.window.WindowStore;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A function of a range selector {@code f(x[5m])} computed from the series' window: {@code rate}, {@code increase}
 * (counters and histogram parts; resets handled), {@code avg/min/max/sum/count_over_time} (gauges or any scalar).
 */
final class RangeFunction implements Expr {
    /** The functions. */
    enum Kind {
        RATE, INCREASE, AVG_OVER_TIME, MIN_OVER_TIME, MAX_OVER_TIME, SUM_OVER_TIME, COUNT_OVER_TIME;

        String functionName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind byName(String name) {
            for (Kind kind : values()) {
                if (kind.functionName().equals(name)) {
                    return kind;
                }
            }
            return null;
        }
    }

    private final Kind kind;
    private final Selector selector;
    private final long rangeMillis;

    RangeFunction(Kind kind, Selector selector, long rangeMillis) {
        this.kind = kind;
        this.selector = selector;
        this.rangeMillis = rangeMillis;
    }

    @Override
    public List<Sample> evaluate(EvalContext context) {
        long now = context.nowMillis();
        return selector.collect(context, match -> {
            // The window the update appended the series to; looked up when this snapshot was not appended.
            ScalarWindow window = match.scalar() != null ? match.scalar()
                    : context.windows().scalar(selector.key(match.family(), match.point()));
            if (window == null) {
                return Double.NaN;
            }
            return switch (kind) {
                case RATE -> window.rate(now, rangeMillis);
                case INCREASE -> window.increase(now, rangeMillis);
                case AVG_OVER_TIME -> window.overTime(OverTime.AVG, now, rangeMillis);
                case MIN_OVER_TIME -> window.overTime(OverTime.MIN, now, rangeMillis);
                case MAX_OVER_TIME -> window.overTime(OverTime.MAX, now, rangeMillis);
                case SUM_OVER_TIME -> window.overTime(OverTime.SUM, now, rangeMillis);
                case COUNT_OVER_TIME -> window.overTime(OverTime.COUNT, now, rangeMillis);
            };
        });
    }

    @Override
    public void declareWindows(WindowStore windows) {
        windows.require(selector, rangeMillis);
    }

    @Override
    public String toString() {
        return kind.functionName() + "(" + selector + "[" + Durations.format(Duration.ofMillis(rangeMillis)) + "])";
    }
}
