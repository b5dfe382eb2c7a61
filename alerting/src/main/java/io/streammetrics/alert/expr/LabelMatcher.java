package io.streammetrics.alert.expr;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.streammetrics.internal.registry.NameRules;

import java.util.Map;
import java.util.Objects;

/**
 * A condition on one label, as in PromQL selectors and Alertmanager silences: {@code =}, {@code !=}, {@code =~}
 * and {@code !~} (regular expressions anchored at both ends). A missing label has the value {@code ""}.
 * Immutable; a regular expression is compiled once, since a selector's matchers run against every series at every
 * evaluation.
 *
 * <p>Regular expressions use RE2 syntax and run on RE2/J, whose matching time is linear in the input whatever the
 * pattern (as Prometheus and Alertmanager, which use Go's RE2): matchers come from rule files and from the operator
 * API's silences, and a backtracking engine would let one pattern such as {@code (.*){30}!} stall the evaluator.
 * RE2 has no backreferences or lookaround; such a pattern is refused here, naming it.
 *
 * <p>The label name must be a valid Prometheus label name ({@code [a-zA-Z_][a-zA-Z0-9_]*}).
 */
public final class LabelMatcher {
    private final String name;
    private final Op op;
    private final String value;
    private final Pattern pattern;

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
     * @param name  the label name
     * @param op    how the value is compared
     * @param value the value or regular expression
     * @throws IllegalArgumentException naming a bad label name or regular expression
     */
    public LabelMatcher(String name, Op op, String value) {
        this.name = Objects.requireNonNull(name, "name");
        this.op = Objects.requireNonNull(op, "op");
        this.value = Objects.requireNonNull(value, "value");
        if (!NameRules.isLabelName(name)) {
            throw new IllegalArgumentException("invalid label name '" + name + "' in matcher " + this);
        }
        if (op == Op.REGEX || op == Op.NOT_REGEX) {
            try {
                this.pattern = Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid regular expression '" + value + "' for label " + name
                        + ": " + e.getDescription(), e);
            }
        } else {
            this.pattern = null;
        }
    }

    public String name() {
        return name;
    }

    public Op op() {
        return op;
    }

    /** The value or regular expression. */
    public String value() {
        return value;
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
            case REGEX -> pattern.matcher(actual).matches();
            case NOT_REGEX -> !pattern.matcher(actual).matches();
        };
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LabelMatcher that && name.equals(that.name) && op == that.op && value.equals(that.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, op, value);
    }

    @Override
    public String toString() {
        return name + op.symbol + '"' + value + '"';
    }
}
