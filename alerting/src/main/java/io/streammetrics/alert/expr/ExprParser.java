package io.streammetrics.alert.expr;

import io.streammetrics.common.Durations;
import io.streammetrics.window.Signal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Parses the small PromQL subset rules are written in.
 *
 * <pre>
 * condition  := expr [ ('&gt;' | '&gt;=' | '&lt;' | '&lt;=' | '==' | '!=') number ]
 * expr       := term { ('+' | '-') term }
 * term       := factor { ('*' | '/') factor }
 * factor     := number | '(' expr ')' | aggregation | function | selector
 * aggregation:= ('sum' | 'min' | 'max' | 'avg' | 'count') [ ('by' | 'without') '(' labels ')' ] '(' expr ')'
 * function   := ('rate' | 'increase' | 'avg_over_time' | 'min_over_time' | 'max_over_time' | 'sum_over_time'
 *               | 'count_over_time') '(' selector '[' duration ']' ')'
 *             | 'quantile' '(' number ',' selector '[' duration ']' ')'
 *             | 'last' '(' selector ')'
 * selector   := name [ '{' label ('=' | '!=' | '=~' | '!~') string { ',' ... } '}' ]
 * </pre>
 *
 * Examples: {@code rate(stream_records_processed_total[1m]) < 100},
 * {@code quantile(0.99, stream_processing_latency_seconds{stage="parse"}[30s]) > 0.25},
 * {@code sum by (stage) (rate(stream_errors_total[5m])) / sum by (stage) (rate(stream_records_processed_total[5m])) > 0.05},
 * {@code avg_over_time(stream_queue_size[1m])}, {@code last(jvm_memory_used_bytes)}. A histogram's parts are
 * {@code h_count}, {@code h_sum} and {@code h_bucket{le="0.25"}}; distribution values are in base units (seconds).
 */
public final class ExprParser {
    /**
     * The deepest nesting of parentheses, aggregations and functions accepted: the parser and the evaluation recurse
     * once per level, and a real rule needs fewer than 10.
     */
    public static final int MAX_DEPTH = 32;
    /**
     * The most operands of arithmetic in one expression: a chain of {@code +} or {@code *} is a tree as deep as it is
     * long, and evaluation recurses through it.
     */
    public static final int MAX_OPERANDS = 256;

    private static final int MAX_QUOTED = 120;
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

    private final String text;
    private int at;
    private int depth;
    private int operands;

    private ExprParser(String text) {
        this.text = text;
    }

    /**
     * Parses an expression with an optional trailing comparison.
     *
     * @throws IllegalArgumentException naming the problem and its column
     */
    public static Condition parseCondition(String text) {
        ExprParser parser = new ExprParser(requireText(text));
        Expr expr = parser.expr();
        Comparison comparison = null;
        double limit = Double.NaN;
        String op = parser.comparisonOperator();
        if (op != null) {
            comparison = Comparison.parse(op);
            limit = parser.signedNumber();
        }
        parser.expectEnd();
        return new Condition(expr, comparison, limit);
    }

    /**
     * Parses an expression without comparison.
     *
     * @throws IllegalArgumentException naming the problem and its column
     */
    public static Expr parse(String text) {
        Condition condition = parseCondition(text);
        if (condition.comparison() != null) {
            throw new IllegalArgumentException("invalid expression '" + text + "': a comparison ("
                    + condition.comparison().symbol() + ") is only allowed in threshold rules");
        }
        return condition.expr();
    }

    /**
     * Parses a number as rules write it: decimal, optionally signed, with an optional exponent, and finite. Thresholds
     * elsewhere in a rule file use the same spelling: {@code NaN} (a comparison that never holds), {@code Infinity},
     * hexadecimal and Java's {@code d}/{@code f} suffixes are refused.
     *
     * @throws IllegalArgumentException naming the text
     */
    public static double number(String text) {
        String trimmed = text.trim();
        if (!NUMBER.matcher(trimmed).matches()) {
            boolean nonFinite = trimmed.matches("[-+]?(NaN|nan|Inf|inf|Infinity|\\.inf|\\.nan)");
            throw new IllegalArgumentException((nonFinite ? "expected a finite number" : "expected a number")
                    + ", got '" + trimmed + "'");
        }
        double value = Double.parseDouble(trimmed);
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("expected a finite number, got '" + trimmed + "' (too large)");
        }
        return value;
    }

    private static String requireText(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty expression");
        }
        return text;
    }

    private Expr expr() {
        Expr left = term();
        while (peek('+') || peek('-')) {
            char op = text.charAt(at++);
            countOperand();
            left = new Arithmetic(op, left, term());
        }
        return left;
    }

    private Expr term() {
        Expr left = factor();
        while (peek('*') || peek('/')) {
            char op = text.charAt(at++);
            countOperand();
            left = new Arithmetic(op, left, factor());
        }
        return left;
    }

    private void countOperand() {
        if (++operands >= MAX_OPERANDS) {
            throw error("more than " + MAX_OPERANDS + " operands of + - * /");
        }
    }

    private Expr factor() {
        skipSpace();
        if (at >= text.length()) {
            throw error("expression ends early");
        }
        if (++depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH + " levels of parentheses, aggregations and functions");
        }
        try {
            return nestedFactor();
        } finally {
            depth--;
        }
    }

    private Expr nestedFactor() {
        char c = text.charAt(at);
        if (Character.isDigit(c) || c == '.' || c == '-') {
            return new NumberLiteral(signedNumber());
        }
        if (c == '(') {
            at++;
            Expr inner = expr();
            expect(')');
            return inner;
        }
        int start = at;
        String name = identifier();
        Aggregation.Op aggregation = Aggregation.Op.byName(name);
        if (aggregation != null && (peek('(') || peekWord("by") || peekWord("without"))) {
            return aggregation(aggregation);
        }
        if (peek('(')) {
            return function(name, start);
        }
        Selector selector = selector(name, start);
        if (peek('[')) {
            throw error("a range selector needs a function such as rate(...) or avg_over_time(...)");
        }
        return new InstantValue(selector);
    }

    private Expr aggregation(Aggregation.Op op) {
        List<String> grouping = List.of();
        boolean without = false;
        if (peekWord("by") || peekWord("without")) {
            without = identifier().equals("without");
            grouping = labelList();
        }
        expect('(');
        Expr operand = expr();
        expect(')');
        if (grouping.isEmpty() && (peekWord("by") || peekWord("without"))) {
            without = identifier().equals("without");
            grouping = labelList();
        }
        return new Aggregation(op, grouping, without, operand);
    }

    private List<String> labelList() {
        expect('(');
        List<String> labels = new ArrayList<>();
        while (!peek(')')) {
            labels.add(identifier());
            if (!peek(')')) {
                expect(',');
            }
        }
        expect(')');
        return labels;
    }

    private Expr function(String name, int start) {
        expect('(');
        Expr result;
        RangeFunction.Kind kind = RangeFunction.Kind.byName(name);
        if (kind != null) {
            Selector selector = selector(identifier(), at);
            result = new RangeFunction(kind, selector, range());
        } else if (name.equals("quantile")) {
            double q = signedNumber();
            if (!(q >= 0 && q <= 1)) {
                throw error("quantile must be between 0 and 1, got " + q);
            }
            expect(',');
            int selectorStart = skipSpace();
            Selector selector = selector(identifier(), selectorStart);
            if (selector.signal() != Signal.VALUE) {
                throw error("quantile() takes the histogram itself, not its _count, _sum or _bucket");
            }
            result = new WindowedQuantile(q, selector, range());
        } else if (name.equals("last")) {
            result = new InstantValue(selector(identifier(), at));
        } else {
            at = start;
            throw error("unknown function '" + name + "' (known: rate, increase, avg_over_time, min_over_time, "
                    + "max_over_time, sum_over_time, count_over_time, quantile, last, sum, min, max, avg, count)");
        }
        expect(')');
        return result;
    }

    private long range() {
        expect('[');
        int close = text.indexOf(']', at);
        if (close < 0) {
            throw error("missing ] after range");
        }
        String duration = text.substring(at, close).trim();
        long millis;
        try {
            millis = Durations.parse(duration).toMillis();
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
        if (millis <= 0) {
            throw error("range must be positive, got " + duration);
        }
        at = close + 1;
        return millis;
    }

    private Selector selector(String name, int start) {
        List<LabelMatcher> matchers = new ArrayList<>();
        if (peek('{')) {
            at++;
            while (!peek('}')) {
                String label = identifier();
                skipSpace();
                LabelMatcher.Op op = matchOperator();
                String value = string();
                try {
                    matchers.add(new LabelMatcher(label, op, value));
                } catch (IllegalArgumentException e) {
                    throw error(e.getMessage());
                }
                if (!peek('}')) {
                    expect(',');
                }
            }
            expect('}');
        }
        Signal signal = Signal.VALUE;
        String family = name;
        double bound = 0;
        if (name.endsWith("_bucket")) {
            signal = Signal.BUCKET;
            family = name.substring(0, name.length() - "_bucket".length());
            bound = takeLe(matchers, start);
        } else if (name.endsWith("_count")) {
            signal = Signal.COUNT;
            family = name.substring(0, name.length() - "_count".length());
        } else if (name.endsWith("_sum")) {
            signal = Signal.SUM;
            family = name.substring(0, name.length() - "_sum".length());
        }
        return new Selector(name, family, matchers, signal, bound);
    }

    private double takeLe(List<LabelMatcher> matchers, int start) {
        for (LabelMatcher matcher : matchers) {
            if (matcher.name().equals("le") && matcher.op() == LabelMatcher.Op.EQUAL) {
                matchers.remove(matcher);
                try {
                    return matcher.value().equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(matcher.value());
                } catch (NumberFormatException e) {
                    at = start;
                    throw error("le must be a number, got '" + matcher.value() + "'");
                }
            }
        }
        at = start;
        throw error("a _bucket selector needs le=\"<bound in base units>\"");
    }

    private LabelMatcher.Op matchOperator() {
        for (String symbol : new String[]{"=~", "!~", "!=", "="}) {
            if (text.startsWith(symbol, at)) {
                at += symbol.length();
                for (LabelMatcher.Op op : LabelMatcher.Op.values()) {
                    if (op.symbol().equals(symbol)) {
                        return op;
                    }
                }
            }
        }
        throw error("expected a label matcher (=, !=, =~ or !~)");
    }

    private String comparisonOperator() {
        skipSpace();
        for (String symbol : new String[]{">=", "<=", "==", "!=", ">", "<"}) {
            if (text.startsWith(symbol, at)) {
                at += symbol.length();
                return symbol;
            }
        }
        return null;
    }

    private String string() {
        skipSpace();
        if (at >= text.length() || (text.charAt(at) != '"' && text.charAt(at) != '\'')) {
            throw error("expected a quoted label value");
        }
        char quote = text.charAt(at++);
        StringBuilder value = new StringBuilder();
        while (at < text.length() && text.charAt(at) != quote) {
            char c = text.charAt(at++);
            if (c == '\\' && at < text.length()) {
                c = text.charAt(at++);
            }
            value.append(c);
        }
        if (at >= text.length()) {
            throw error("unterminated string");
        }
        at++;
        return value.toString();
    }

    private double signedNumber() {
        skipSpace();
        int start = at;
        if (at < text.length() && (text.charAt(at) == '-' || text.charAt(at) == '+')) {
            at++;
        }
        while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '.'
                || ((text.charAt(at) == '-' || text.charAt(at) == '+') && Character.toLowerCase(text.charAt(at - 1)) == 'e'))) {
            at++;
        }
        try {
            return number(text.substring(start, at));
        } catch (IllegalArgumentException e) {
            at = start;
            throw error(e.getMessage());
        }
    }

    private String identifier() {
        int start = skipSpace();
        while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_'
                || text.charAt(at) == ':')) {
            at++;
        }
        if (at == start || Character.isDigit(text.charAt(start))) {
            at = start;
            throw error("expected a name");
        }
        return text.substring(start, at);
    }

    private boolean peek(char c) {
        skipSpace();
        return at < text.length() && text.charAt(at) == c;
    }

    private boolean peekWord(String word) {
        skipSpace();
        int end = at + word.length();
        return text.startsWith(word, at) && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end))
                && text.charAt(end) != '_');
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
        at++;
    }

    private void expectEnd() {
        skipSpace();
        if (at < text.length()) {
            throw error("unexpected '" + text.substring(at) + "'");
        }
    }

    private int skipSpace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
        return at;
    }

    private IllegalArgumentException error(String problem) {
        return new IllegalArgumentException("invalid expression '" + excerpt() + "': " + problem + " at column "
                + (at + 1));
    }

    /** The expression, or for a long one the part around the error, so that a message stays one readable line. */
    private String excerpt() {
        if (text.length() <= MAX_QUOTED) {
            return text;
        }
        int from = Math.max(0, Math.min(at - MAX_QUOTED / 2, text.length() - MAX_QUOTED));
        int to = from + MAX_QUOTED;
        return (from > 0 ? "..." : "") + text.substring(from, to) + (to < text.length() ? "..." : "");
    }
}
