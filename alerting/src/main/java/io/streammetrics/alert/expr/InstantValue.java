package io.streammetrics.alert.expr;

import io.streammetrics.window.WindowStore;

import java.util.List;

/** {@code last(x)} or a bare selector: each matching series' current value, read from the snapshot itself. */
final class InstantValue implements Expr {
    private final Selector selector;

    InstantValue(Selector selector) {
        this.selector = selector;
    }

    Selector selector() {
        return selector;
    }

    @Override
    public List<Sample> evaluate(EvalContext context) {
        return selector.collect(context,
                match -> selector.signal().read(match.family(), match.point(), selector.bound()));
    }

    @Override
    public void declareWindows(WindowStore windows) {
        // The current value needs no history.
    }

    @Override
    public String toString() {
        return "last(" + selector + ")";
    }
}
