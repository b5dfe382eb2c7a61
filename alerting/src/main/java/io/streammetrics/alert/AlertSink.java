package io.streammetrics.alert;

import io.streammetrics.alert.rule.AlertRule;

/** Where a {@link RuleState} hands its events: the evaluator records them and, when asked to, dispatches them. */
interface AlertSink {
    /**
     * @param rule        the rule the event comes from (its notifier routing)
     * @param event       the event
     * @param dispatch    whether notifiers get it (false when silenced)
     * @param escalatedTo the escalation notifier that also gets it, or null
     */
    void emit(AlertRule rule, AlertEvent event, boolean dispatch, String escalatedTo);

    /** Whether an alert with these labels is silenced now. */
    boolean silenced(java.util.Map<String, String> labels);
}
