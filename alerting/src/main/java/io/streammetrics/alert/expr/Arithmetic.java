package io.streammetrics.alert.expr;

import io.streammetrics.window.WindowStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code a / b}, {@code a * 100}, {@code a + b}, {@code a - b}: a scalar applies to every sample of the other side;
 * two vectors pair the samples with identical label sets (aggregate both sides {@code by} the same labels first),
 * as PromQL's one-to-one matching. {@code 0 / 0} gives NaN, which satisfies no comparison (an error ratio
 * without traffic does not alert).
 */
final class Arithmetic implements Expr {
    private final char op;
    private final Expr left;
    private final Expr right;

    Arithmetic(char op, Expr left, Expr right) {
        this.op = op;
        this.left = left;
        this.right = right;
    }

    @Override
    public List<Sample> evaluate(EvalContext context) {
        List<Sample> lefts = left.evaluate(context);
        List<Sample> rights = right.evaluate(context);
        List<Sample> result = new ArrayList<>();
        if (right.isScalar()) {
            double r = rights.get(0).value();
            for (Sample l : lefts) {
                result.add(new Sample(l.labels(), apply(l.value(), r)));
            }
        } else if (left.isScalar()) {
            double l = lefts.get(0).value();
            for (Sample r : rights) {
                result.add(new Sample(r.labels(), apply(l, r.value())));
            }
        } else {
            Map<Map<String, String>, Double> byLabels = new HashMap<>();
            for (Sample r : rights) {
                byLabels.put(r.labels(), r.value());
            }
            for (Sample l : lefts) {
                Double r = byLabels.get(l.labels());
                if (r != null) {
                    result.add(new Sample(l.labels(), apply(l.value(), r)));
                }
            }
        }
        return result;
    }

    private double apply(double l, double r) {
        return switch (op) {
            case '+' -> l + r;
            case '-' -> l - r;
            case '*' -> l * r;
            default -> l / r;
        };
    }

    @Override
    public void declareWindows(WindowStore windows) {
        left.declareWindows(windows);
        right.declareWindows(windows);
    }

    @Override
    public boolean isScalar() {
        return left.isScalar() && right.isScalar();
    }

    @Override
    public String toString() {
        return "(" + left + " " + op + " " + right + ")";
    }
}
