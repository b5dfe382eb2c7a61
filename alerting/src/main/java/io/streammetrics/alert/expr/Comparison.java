package io.streammetrics.alert.expr;

/** A comparison of a value against a limit, as in PromQL: {@code > >= < <= == !=}. NaN never satisfies one. */
public enum Comparison {
    GREATER(">"), GREATER_OR_EQUAL(">="), LESS("<"), LESS_OR_EQUAL("<="), EQUAL("=="), NOT_EQUAL("!=");

    private final String symbol;

    Comparison(String symbol) {
        this.symbol = symbol;
    }

    /** The operator as written, {@code ">="}. */
    public String symbol() {
        return symbol;
    }

    /** Whether {@code value <op> limit} holds; false for NaN. */
    public boolean test(double value, double limit) {
        if (Double.isNaN(value)) {
            return false;
        }
        return switch (this) {
            case GREATER -> value > limit;
            case GREATER_OR_EQUAL -> value >= limit;
            case LESS -> value < limit;
            case LESS_OR_EQUAL -> value <= limit;
            case EQUAL -> value == limit;
            case NOT_EQUAL -> value != limit;
        };
    }

    /**
     * Parses an operator.
     *
     * @throws IllegalArgumentException naming the bad operator and the accepted ones
     */
    public static Comparison parse(String symbol) {
        for (Comparison comparison : values()) {
            if (comparison.symbol.equals(symbol)) {
                return comparison;
            }
        }
        throw new IllegalArgumentException("unknown comparison '" + symbol + "' (expected >, >=, <, <=, == or !=)");
    }
}
