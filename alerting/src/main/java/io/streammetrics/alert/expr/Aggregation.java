package io.streammetrics.alert.expr;

import io.streammetrics.window.WindowStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code sum by (stage) (expr)}, {@code max without (instance) (expr)}, {@code avg(expr)}: aggregates samples that
 * share the kept labels, as PromQL's aggregation operators.
 */
final class Aggregation implements Expr {
    /** The operators. */
    enum Op {
        SUM, MIN, MAX, AVG, COUNT;

        static Op byName(String name) {
            for (Op op : values()) {
                if (op.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return op;
                }
            }
            return null;
        }
    }

    private final Op op;
    private final List<String> grouping;
    private final boolean without;
    private final Expr operand;

    Aggregation(Op op, List<String> grouping, boolean without, Expr operand) {
        this.op = op;
        this.grouping = List.copyOf(grouping);
        this.without = without;
        this.operand = operand;
    }

    @Override
    public List<Sample> evaluate(EvalContext context) {
        Map<Map<String, String>, double[]> groups = new LinkedHashMap<>();
        for (Sample sample : operand.evaluate(context)) {
            Map<String, String> key = Labels.group(sample.labels(), grouping, without);
            double[] acc = groups.computeIfAbsent(key, k -> new double[]{
                    op == Op.MIN ? Double.POSITIVE_INFINITY : op == Op.MAX ? Double.NEGATIVE_INFINITY : 0, 0});
            double v = sample.value();
            acc[0] = switch (op) {
                case MIN -> Math.min(acc[0], v);
                case MAX -> Math.max(acc[0], v);
                case COUNT -> acc[0] + 1;
                default -> acc[0] + v;
            };
            acc[1]++;
        }
        List<Sample> result = new ArrayList<>(groups.size());
        groups.forEach((labels, acc) -> result.add(new Sample(labels, op == Op.AVG ? acc[0] / acc[1] : acc[0])));
        return result;
    }

    @Override
    public void declareWindows(WindowStore windows) {
        operand.declareWindows(windows);
    }

    @Override
    public String toString() {
        return op.name().toLowerCase(Locale.ROOT) + (without ? " without " : " by ") + grouping + " (" + operand + ")";
    }
}
