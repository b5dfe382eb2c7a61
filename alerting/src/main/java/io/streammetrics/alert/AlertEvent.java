package io.streammetrics.alert;

import java.util.Objects;

/**
 * One thing a notifier is told: an alert changed state, is re-sent while still firing, or escalated. Every state
 * transition produces exactly one event.
 *
 * @param kind  what happened
 * @param alert the alert as it stands after the change
 */
public record AlertEvent(Kind kind, Alert alert) {

    /** What happened to the alert. */
    public enum Kind {
        /** Inactive to pending: the condition holds, the {@code for} duration has not elapsed. */
        PENDING,
        /** Started firing. */
        FIRING,
        /** Still firing, re-sent after the rule's repeat interval (not acknowledged, not silenced). */
        REPEAT,
        /** Firing unacknowledged past the escalation delay: severity raised or routed to the escalation notifier. */
        ESCALATED,
        /** Stopped firing (or a pending alert whose condition no longer holds, which never notifies externally). */
        RESOLVED
    }

    /** Checks the fields. */
    public AlertEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(alert, "alert");
    }
}
