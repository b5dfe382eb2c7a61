package io.streammetrics.alert;

import java.util.Locale;

/**
 * Where an alert is in its lifecycle, as Prometheus' rule manager names the states: the condition holds but not yet
 * for the rule's {@code for} duration (pending), it held long enough (firing), it stopped holding after firing
 * (resolved). An alert whose condition never held, or held only while pending, is inactive.
 */
public enum AlertState {
    INACTIVE, PENDING, FIRING, RESOLVED;

    /** The lower-case name used in the {@code alertstate} label and JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
