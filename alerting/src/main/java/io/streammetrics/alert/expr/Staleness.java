package io.streammetrics.alert.expr;

import io.streammetrics.snapshot.SeriesPoint;
import io.streammetrics.window.WindowStore;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Seconds since each matching series last applied an update (since it was registered if it never did), for absence
 * rules: a stage that stopped processing keeps its series, but its last update time stops moving.
 */
public final class Staleness implements Expr {
    private final Selector selector;

    private Staleness(Selector selector) {
        this.selector = selector;
    }

    /**
     * Parses a selector such as {@code stream_records_processed_total{stage="parse"}}.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public static Staleness of(String selectorText) {
        Expr expr = ExprParser.parse(selectorText);
        if (!(expr instanceof InstantValue instant)) {
            throw new IllegalArgumentException("absence rules take a series selector such as name{label=\"v\"}, got '"
                    + selectorText + "'");
        }
        return new Staleness(instant.selector());
    }

    /** The labels fixed by the selector's {@code =} matchers: the labels of an alert for a series never seen. */
    public Map<String, String> equalityLabels() {
        Map<String, String> labels = new TreeMap<>();
        for (LabelMatcher matcher : selector.matchers()) {
            if (matcher.op() == LabelMatcher.Op.EQUAL) {
                labels.put(matcher.name(), matcher.value());
            }
        }
        return labels;
    }

    @Override
    public List<Sample> evaluate(EvalContext context) {
        return selector.collect(context, match -> {
            SeriesPoint point = match.point();
            long last = point.lastUpdateMillis() != 0 ? point.lastUpdateMillis() : point.createdMillis();
            return (context.nowMillis() - last) / 1000.0;
        });
    }

    @Override
    public void declareWindows(WindowStore windows) {
        // Reads the last update time from the snapshot.
    }

    @Override
    public String toString() {
        return "staleness(" + selector + ")";
    }
}
