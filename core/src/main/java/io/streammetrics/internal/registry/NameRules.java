package io.streammetrics.internal.registry;

import io.streammetrics.common.MetricType;
import io.streammetrics.common.Unit;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Prometheus naming rules, applied at registration so that a bad name fails where it is written, with a message
 * that names it, instead of at scrape time.
 */
public final class NameRules {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final String[] RESERVED_SUFFIXES = {"_total", "_created", "_bucket", "_info"};
    /** Label of the series that takes label sets beyond a family's cardinality limit (as the OpenTelemetry SDK). */
    public static final String OVERFLOW_LABEL = "otel_metric_overflow";

    private NameRules() {
    }

    /**
     * The Prometheus name of a family as every exporter writes it, before the {@code _total} of a counter: the name
     * plus {@code _<unit>} unless it already ends with it (always {@code _seconds} for timers, which export seconds).
     */
    public static String exportedName(String familyName, MetricType type, Unit unit) {
        Unit exportedUnit = type == MetricType.TIMER ? Unit.SECONDS : unit;
        if (exportedUnit == null) {
            return familyName;
        }
        String suffix = "_" + exportedUnit.name();
        return familyName.endsWith(suffix) ? familyName : familyName + suffix;
    }

    /**
     * Checks a metric family name (after a counter's {@code _total} has been removed).
     *
     * @throws IllegalArgumentException naming the problem
     */
    public static void checkMetricName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("metric name must not be empty");
        }
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid metric name '" + name
                    + "': must match [a-zA-Z_:][a-zA-Z0-9_:]* (Prometheus naming rules)");
        }
        if (name.startsWith("__")) {
            throw new IllegalArgumentException("invalid metric name '" + name + "': names starting with __ are reserved");
        }
        for (String suffix : RESERVED_SUFFIXES) {
            if (name.endsWith(suffix)) {
                throw new IllegalArgumentException("invalid metric name '" + name + "': the suffix " + suffix
                        + " is added by the exposition format and may not end a family name");
            }
        }
    }

    /**
     * Whether {@code name} has the form of a Prometheus label name, {@code [a-zA-Z_][a-zA-Z0-9_]*} (reserved names
     * such as {@code __name__} included: a selector or a silence may match them).
     */
    public static boolean isLabelName(String name) {
        return name != null && LABEL_NAME.matcher(name).matches();
    }

    /**
     * Checks the label names of a family.
     *
     * @param distribution whether the family is a histogram or timer (which reserves {@code le})
     * @throws IllegalArgumentException naming the bad label
     */
    public static void checkLabelNames(String metricName, List<String> labelNames, boolean distribution) {
        Set<String> seen = new HashSet<>();
        for (String label : labelNames) {
            if (label == null || !LABEL_NAME.matcher(label).matches()) {
                throw new IllegalArgumentException("invalid label name '" + label + "' on metric '" + metricName
                        + "': must match [a-zA-Z_][a-zA-Z0-9_]*");
            }
            if (label.startsWith("__")) {
                throw new IllegalArgumentException("invalid label name '" + label + "' on metric '" + metricName
                        + "': names starting with __ are reserved");
            }
            if (label.equals("quantile") || (distribution && label.equals("le")) || label.equals(OVERFLOW_LABEL)) {
                throw new IllegalArgumentException("invalid label name '" + label + "' on metric '" + metricName
                        + "': reserved by the exposition format");
            }
            if (!seen.add(label)) {
                throw new IllegalArgumentException("duplicate label name '" + label + "' on metric '" + metricName + "'");
            }
        }
    }

    /**
     * Checks label values against a family's label names.
     *
     * @throws IllegalArgumentException on a count mismatch or a null value
     */
    public static void checkLabelValues(String metricName, List<String> labelNames, String[] labelValues) {
        if (labelValues.length != labelNames.size()) {
            throw new IllegalArgumentException("metric '" + metricName + "' has labels " + labelNames + " but got "
                    + labelValues.length + " label value(s)");
        }
        for (int i = 0; i < labelValues.length; i++) {
            if (labelValues[i] == null) {
                throw new IllegalArgumentException("null value for label '" + labelNames.get(i) + "' on metric '"
                        + metricName + "'");
            }
        }
    }
}
