package io.streammetrics.alert.rule;

import java.util.Locale;

/**
 * What a rule does when its query returns no data: no series with a value (its series vanished, or never existed:
 * a typo in a metric name), as Grafana's {@code noDataState}. Absence rules, whose subject is missing data, never
 * see it. The first evaluation after a rule is loaded does not count (a rate needs two samples).
 */
public enum NoDataState {
    /** The default: the rule's alerts keep their state, and a synthetic {@code NoData} alert goes pending, then fires after the rule's {@code for}. */
    NO_DATA,
    /** The rule's alerts (or one with the rule's labels, if it has none) are held as if the condition held. */
    ALERTING,
    /** As if the condition did not hold: the rule's alerts resolve. */
    OK,
    /** The rule's alerts keep their state; nothing else happens. */
    KEEP_LAST_STATE;

    /** The name in rule files: {@code no_data}, {@code alerting}, {@code ok}, {@code keep_last_state}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a rule file's name for a state.
     *
     * @throws IllegalArgumentException naming the accepted names
     */
    public static NoDataState parse(String text) {
        for (NoDataState state : values()) {
            if (state.label().equals(text)) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown no-data state '" + text
                + "' (no_data, alerting, ok, keep_last_state)");
    }
}
