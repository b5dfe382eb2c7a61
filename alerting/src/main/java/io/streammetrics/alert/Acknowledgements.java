package io.streammetrics.alert;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Acknowledgements on their way to the alerts: any thread queues one ({@link AlertEvaluator#acknowledge}), and the
 * thread that holds the {@link RuleEvaluation}'s lock applies the queue, at the start of an evaluation or at once
 * when none runs. So an operator never waits for an evaluation, and an alert's state is only ever changed by the
 * holder of that lock.
 */
final class Acknowledgements {
    /** (alert id, acknowledged by) pairs; lock-free, since they come from any thread. */
    private final ConcurrentLinkedQueue<String[]> pending = new ConcurrentLinkedQueue<>();

    /** Queues an acknowledgement; any thread. */
    void add(String alertId, String by) {
        pending.add(new String[] {alertId, by});
    }

    /**
     * Applies the queued acknowledgements to the active alerts of {@code groups}; the caller holds the evaluation's
     * lock. An acknowledgement of an alert no longer active is dropped.
     *
     * @return whether any alert changed
     */
    boolean applyTo(List<GroupState> groups) {
        boolean changed = false;
        for (String[] ack; (ack = pending.poll()) != null; ) {
            changed |= apply(groups, ack[0], ack[1]);
        }
        return changed;
    }

    private static boolean apply(List<GroupState> groups, String alertId, String by) {
        for (GroupState group : groups) {
            for (RuleState rule : group.rules) {
                for (AlertInstance instance : rule.alerts.values()) {
                    if (instance.id.equals(alertId) && instance.isActive()) {
                        instance.acknowledgedBy = by;
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
