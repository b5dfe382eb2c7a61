package io.streammetrics.alert.expr;


/**
 * A parsed {@code expr > 0.5}: a value expression and, for threshold rules, a comparison against a constant.
 *
 * @param expr       the value expression
 * @param comparison the comparison, or null when the text had none
 * @param limit      the constant compared against (NaN without a comparison)
 */
public record Condition(Expr expr, Comparison comparison, double limit) {
}
