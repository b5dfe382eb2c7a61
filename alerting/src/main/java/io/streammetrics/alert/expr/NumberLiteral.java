package io.streammetrics.alert.expr;

import io.streammetrics.window.WindowStore;

import java.util.List;
import java.util.Map;

/** A number in an expression: a scalar, applied to every sample of the other operand of an arithmetic operator. */
final class NumberLiteral implements Expr {
    private final double value;

    NumberLiteral(double value) {
        this.value = value;
    }

    double value() {
        return value;
    }

    @Override
    public List<Sample> evaluate(EvalContext context) {
        return List.of(new Sample(Map.of(), value));
    }

    @Override
    public void declareWindows(WindowStore windows) {
        // A constant reads nothing.
    }

    @Override
    public boolean isScalar() {
        return true;
    }

    @Override
    public String toString() {
        return Double.toString(value);
    }
}
