package io.streammetrics.alert.expr;

import io.streammetrics.common.Durations;
import io.streammetrics.window.HistogramWindow;
import io.streammetrics.window.Signal;
import io.streammetrics.window.WindowStore;

import java.time.Duration;
import java.util.List;

/**
 * {@code quantile(0.99, latency_seconds[30s])}: the quantile of the values a histogram or timer recorded in the
 * window, from the difference of its bucket counts at the window's ends (exact at HDR precision), in base units.
 */
final class WindowedQuantile implements Expr {
    private final double quantile;
    private final Selector selector;
    private final long rangeMillis;

    WindowedQuantile(double quantile, Selector selector, long rangeMillis) {
        this.quantile = quantile;
        this.selector = selector.as(Signal.DISTRIBUTION);
        this.rangeMillis = rangeMillis;
    }

    @Override
    public List<Sample> evaluate(EvalContext context) {
        return selector.collect(context, match -> {
            // The window the update appended the series to; looked up when this snapshot was not appended.
            HistogramWindow window = match.histogram() != null ? match.histogram()
                    : context.windows().histogram(selector.key(match.family(), match.point()));
            return window == null ? Double.NaN
                    : window.quantile(context.nowMillis(), rangeMillis, quantile) / Signal.scale(match.family().type());
        });
    }

    @Override
    public void declareWindows(WindowStore windows) {
        windows.require(selector, rangeMillis);
    }

    @Override
    public String toString() {
        return "quantile(" + quantile + ", " + selector + "[" + Durations.format(Duration.ofMillis(rangeMillis)) + "])";
    }
}
