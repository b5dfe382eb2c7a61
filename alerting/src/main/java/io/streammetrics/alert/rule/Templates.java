package io.streammetrics.alert.rule;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The placeholders of summaries, descriptions and other annotations: {@code {{labels.stage}}} (or Prometheus'
 * {@code {{ $labels.stage }}}) is a label of the alert, {@code {{value}}} ({@code {{ $value }}}) the value its
 * condition saw. A missing label renders empty. Anything else in braces is rejected when the rule is built.
 */
public final class Templates {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*\\$?([^}]*?)\\s*}}");
    private static final Pattern LABEL = Pattern.compile("labels\\.([a-zA-Z_][a-zA-Z0-9_]*)");

    private Templates() {
    }

    /**
     * Checks every placeholder of a template.
     *
     * @throws IllegalArgumentException naming the unknown placeholder
     */
    public static void check(String template) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        while (matcher.find()) {
            String name = matcher.group(1);
            if (!name.equals("value") && !LABEL.matcher(name).matches()) {
                throw new IllegalArgumentException("unknown placeholder {{" + name + "}} in '" + template
                        + "' (expected {{labels.<name>}} or {{value}})");
            }
        }
    }

    /** Renders a template. */
    public static String render(String template, Map<String, String> labels, double value) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String replacement = name.equals("value") ? format(value) : labels.getOrDefault(name.substring("labels.".length()), "");
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** A value as people read it: integers without a fraction, others with up to four significant decimals. */
    public static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        return new java.math.BigDecimal(value).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
