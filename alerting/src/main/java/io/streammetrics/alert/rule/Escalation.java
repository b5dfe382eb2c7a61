package io.streammetrics.alert.rule;

import io.streammetrics.common.Durations;

import java.time.Duration;
import java.util.Objects;

/**
 * What happens to an alert that fires unacknowledged for longer than {@code after}: its severity goes up one step
 * (if {@code raiseSeverity}) and/or its events go to one more notifier from then on (the on-call pager); either
 * way, one {@code ESCALATED} event ({@code io.streammetrics.alert.AlertEvent.Kind}).
 *
 * @param after         how long an alert may fire unacknowledged
 * @param raiseSeverity whether the severity goes up one step
 * @param notifier      the name of the notifier that receives the escalated alert, or null
 */
public record Escalation(Duration after, boolean raiseSeverity, String notifier) {
    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException if the escalation would do nothing or the delay is not positive
     */
    public Escalation {
        Objects.requireNonNull(after, "after");
        if (after.isNegative() || after.isZero()) {
            throw new IllegalArgumentException("escalation delay must be positive, got " + Durations.format(after));
        }
        if (!raiseSeverity && notifier == null) {
            throw new IllegalArgumentException("an escalation must raise the severity or name a notifier");
        }
    }
}
