package io.streammetrics.alert.rule;

import java.util.Locale;

/**
 * What a rule does when its evaluation fails (its expression throws), as Grafana's {@code execErrState}. Every
 * failure is also counted ({@code streammetrics_rule_evaluation_failures_total{rule}}) and the first one logged.
 */
public enum ErrorState {
    /** The default: the rule's alerts keep their state, and a synthetic {@code EvaluationError} alert goes pending, then fires after the rule's {@code for}. */
    ERROR,
    /** The rule's alerts (or one with the rule's labels, if it has none) are held as if the condition held. */
    ALERTING,
    /** As if the condition did not hold: the rule's alerts resolve. */
    OK,
    /** The rule's alerts keep their state; nothing else happens. */
    KEEP_LAST_STATE;

    /** The name in rule files: {@code error}, {@code alerting}, {@code ok}, {@code keep_last_state}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a rule file's name for a state.
     *
     * @throws IllegalArgumentException naming the accepted names
     */
    public static ErrorState parse(String text) {
        for (ErrorState state : values()) {
            if (state.label().equals(text)) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown error state '" + text + "' (error, alerting, ok, keep_last_state)");
    }
}
