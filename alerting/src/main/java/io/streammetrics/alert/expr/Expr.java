package io.streammetrics.alert.expr;

import io.streammetrics.window.WindowStore;

import java.util.List;

/**
 * A parsed value expression (see {@link ExprParser} for the language). Evaluates to a vector of {@link Sample}s;
 * series whose value is undefined (a rate with under two samples, a quantile of an empty window) are left out, as
 * PromQL leaves them out.
 */
public interface Expr {
    /** The samples of this expression at {@code context}'s evaluation. */
    List<Sample> evaluate(EvalContext context);

    /** Declares the windows the expression reads, so that the store keeps them. */
    void declareWindows(WindowStore windows);

    /** Whether the expression is a plain number (a scalar, matched against every sample of the other operand). */
    default boolean isScalar() {
        return false;
    }
}
