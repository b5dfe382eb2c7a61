package io.streammetrics.alert;

import io.streammetrics.alert.rule.AlertRule;
import io.streammetrics.alert.rule.Severity;
import io.streammetrics.alert.rule.Templates;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The mutable state of one alert (rule + label set) during one episode, from pending to resolved. Owned by its
 * {@link RuleState}; read and acknowledged under the evaluator's lock.
 */
final class AlertInstance {
    final String id;
    final Map<String, String> identity;
    AlertState state = AlertState.INACTIVE;
    Severity severity;
    double value;
    long activeAtMillis;
    long firedAtMillis;
    long resolvedAtMillis;
    long lastHeldMillis;
    long lastEvaluatedMillis;
    long lastNotifiedMillis;
    /** Whether any event of this episode reached the notifiers (so its resolution must too). */
    boolean sentAny;
    /** Whether the notifiers were told it fires (a pending notice does not count). */
    boolean sentFiring;
    String acknowledgedBy;
    /** The exemplar of the worst bucket in the window at the last evaluation that held (threshold rules), or null. */
    io.streammetrics.exemplar.Exemplar exemplar;
    boolean escalated;
    /** The {@code alertname} of a synthetic alert ({@code NoData}, {@code EvaluationError}), or null. */
    final String syntheticName;
    /** A synthetic alert's description (why the rule has no result), or null. */
    String detail;

    AlertInstance(String ruleName, Map<String, String> identity) {
        this(ruleName, identity, null);
    }

    private AlertInstance(String ruleName, Map<String, String> identity, String syntheticName) {
        this.identity = identity;
        this.id = idOf(ruleName, identity);
        this.syntheticName = syntheticName;
    }

    /**
     * The synthetic alert {@code alertName} of a rule ({@code NoData}, {@code EvaluationError}): labelled
     * {@code alertname=<alertName>, rulename=<rule>} plus the rule's labels, as Grafana's {@code DatasourceNoData}.
     */
    static AlertInstance synthetic(AlertRule rule, String alertName) {
        Map<String, String> identity = new TreeMap<>(rule.labels());
        identity.put("alertname", alertName);
        identity.put("rulename", rule.name());
        return new AlertInstance(rule.name(), identity, alertName);
    }

    /** A stable id: a 64-bit FNV-1a hash of the rule name and the sorted label set, in hex. */
    static String idOf(String ruleName, Map<String, String> identity) {
        long hash = 0xcbf29ce484222325L;
        StringBuilder text = new StringBuilder(ruleName);
        new TreeMap<>(identity).forEach((k, v) -> text.append('\0').append(k).append('=').append(v));
        for (int i = 0; i < text.length(); i++) {
            hash ^= text.charAt(i);
            hash *= 0x100000001b3L;
        }
        return String.format("%016x", hash);
    }

    boolean isActive() {
        return state == AlertState.PENDING || state == AlertState.FIRING;
    }

    /** The labels of the alert: its identity plus {@code alertname} and the current {@code severity}. */
    Map<String, String> labels(String ruleName) {
        Map<String, String> labels = new TreeMap<>(identity);
        labels.put("alertname", syntheticName != null ? syntheticName : ruleName);
        labels.put("severity", severity.label());
        return labels;
    }

    Alert toAlert(AlertRule rule) {
        Map<String, String> labels = labels(rule.name());
        Map<String, String> annotations = new HashMap<>();
        if (syntheticName != null) {
            // The rule's templates describe its series, which this alert has none of.
            annotations.put(AlertRule.SUMMARY, detail);
        } else {
            rule.annotations().forEach((name, template) -> annotations.put(name, Templates.render(template, labels,
                    value)));
        }
        if (exemplar != null) {
            // Which trace was slow: the page links the alert to it (the value in exported units, seconds for timers).
            annotations.put("exemplar_trace_id", exemplar.traceId());
            annotations.put("exemplar_span_id", exemplar.spanIdHex());
            annotations.put("exemplar_value", Double.toString(exemplar.value()));
        }
        return new Alert(id, rule.name(), labels, annotations, severity, state, value, activeAtMillis, firedAtMillis,
                resolvedAtMillis, lastEvaluatedMillis, acknowledgedBy, escalated);
    }
}
