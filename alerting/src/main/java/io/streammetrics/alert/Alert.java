package io.streammetrics.alert;

import io.streammetrics.alert.rule.Severity;

import java.util.Map;
import java.util.Objects;

/**
 * One alert as it stands after an evaluation: immutable. Its identity is the rule plus its label set ({@link #id()}),
 * the same across evaluations, so a notifier or an API client can follow one alert from pending to resolved.
 *
 * @param id                stable identity: derived only from {@code ruleName} and {@code labels} (without
 *                          {@code severity}, which escalation may change)
 * @param ruleName          the rule that produced it (also the {@code alertname} label, except for a rule's synthetic
 *                          {@code NoData} and {@code EvaluationError} alerts, whose {@code alertname} is that and whose
 *                          {@code rulename} label names the rule)
 * @param labels            the series' labels plus the rule's own labels, {@code alertname} and {@code severity};
 *                          sorted by name, unmodifiable
 * @param annotations       rendered summary, description, runbook_url and any other annotations; unmodifiable
 * @param severity          current severity (after any escalation)
 * @param state             current state
 * @param value             the value the rule's condition saw at the last evaluation
 * @param activeAtMillis    when the condition first held in this episode (start of pending), epoch millis
 * @param firedAtMillis     when it started firing, or 0 if it never fired in this episode
 * @param resolvedAtMillis  when it resolved, or 0 while active
 * @param lastEvaluatedMillis time of the evaluation that produced this state
 * @param acknowledgedBy    who acknowledged it, or {@code null}; acknowledgement stops re-notification only
 * @param escalated         whether the severity was raised by escalation
 */
public record Alert(String id, String ruleName, Map<String, String> labels, Map<String, String> annotations,
                    Severity severity, AlertState state, double value, long activeAtMillis, long firedAtMillis,
                    long resolvedAtMillis, long lastEvaluatedMillis, String acknowledgedBy, boolean escalated) {

    /** Copies the maps so that the record stays immutable. */
    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ruleName, "ruleName");
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(state, "state");
    }

    /** Whether the alert is pending or firing. */
    public boolean isActive() {
        return state == AlertState.PENDING || state == AlertState.FIRING;
    }

    /** Whether someone acknowledged the alert. */
    public boolean isAcknowledged() {
        return acknowledgedBy != null;
    }
}
