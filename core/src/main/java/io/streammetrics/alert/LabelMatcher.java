package io.streammetrics.alert;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A condition on one label, as in PromQL selectors and Alertmanager silences: {@code =}, {@code !=}, {@code =~}
 * and {@code !~} (regular expressions anchored at both ends). A missing label has the value {@code ""}.
 *
 * @param name  the label name
 * @param op    how the value is compared
 * @param value the value or regular expression
 */
public record LabelMatcher(String name, Op op, String value) {

    /** The matching operators. */
    public enum Op {
        EQUAL("="), NOT_EQUAL("!="), REGEX("=~"), NOT_REGEX("!~");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    /**
     * Checks the fields; a regular expression must compile.
     *
     * @throws IllegalArgumentException naming a bad regular expression
     */
    public LabelMatcher {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(value, "value");
        if (op == Op.REGEX || op == Op.NOT_REGEX) {
            try {
                Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid regular expression '" + value + "' for label " + name
                        + ": " + e.getDescription(), e);
            }
        }
    }

    /** {@code name="value"}. */
    public static LabelMatcher equal(String name, String value) {
        return new LabelMatcher(name, Op.EQUAL, value);
    }

    /** Whether the label {@code name} of {@code labels} satisfies the matcher. */
    public boolean matches(Map<String, String> labels) {
        return matchesValue(labels.getOrDefault(name, ""));
    }

    /** Whether {@code actual} (the label's value, {@code ""} when missing) satisfies the matcher. */
    public boolean matchesValue(String actual) {
        return switch (op) {
            case EQUAL -> value.equals(actual);
            case NOT_EQUAL -> !value.equals(actual);
            // Compiled per call: matchers are few, and a record cannot cache a derived field.
            case REGEX -> Pattern.matches(value, actual);
            case NOT_REGEX -> !Pattern.matches(value, actual);
        };
    }

    @Override
    public String toString() {
        return name + op.symbol + '"' + value + '"';
    }
}
