package io.streammetrics.alert;

import io.streammetrics.alert.expr.EvalContext;
import io.streammetrics.alert.expr.Sample;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The alerts of one rule and their lifecycle: inactive, pending while the condition has held for less than
 * {@code for}, firing, resolved once it stopped holding for {@code keep_firing_for}; one event per transition,
 * plus re-notifications after the repeat interval and one escalation. An alert's identity is the rule and its label
 * set, so it keeps its id across evaluations and episodes.
 */
final class RuleState {
    AlertRule rule;
    long lastEvaluatedMillis = Long.MIN_VALUE;
    final Map<Map<String, String>, AlertInstance> alerts = new LinkedHashMap<>();

    RuleState(AlertRule rule) {
        this.rule = rule;
    }

    void evaluate(EvalContext context, AlertSink sink) {
        long now = context.nowMillis();
        List<Sample> holding = rule.condition().holding(context, labels -> {
            AlertInstance instance = alerts.get(identity(labels));
            return instance != null && instance.isActive();
        });
        Set<AlertInstance> held = new HashSet<>();
        for (Sample sample : holding) {
            Map<String, String> identity = identity(sample.labels());
            AlertInstance instance = alerts.computeIfAbsent(identity, k -> new AlertInstance(rule.name(), k));
            held.add(instance);
            instance.value = sample.value();
            instance.exemplar = rule.condition().exemplar(context, sample.labels());
            instance.lastHeldMillis = now;
            instance.lastEvaluatedMillis = now;
            if (!instance.escalated) {
                String severity = sample.labels().get("severity");
                instance.severity = severity == null ? rule.severity() : Severity.parse(severity);
            }
            if (instance.state == AlertState.INACTIVE) {
                instance.state = AlertState.PENDING;
                instance.activeAtMillis = now;
                if (rule.forMillis() > 0) {
                    emit(sink, AlertEvent.Kind.PENDING, instance);
                    continue;
                }
            }
            if (instance.state == AlertState.PENDING && now - instance.activeAtMillis >= rule.forMillis()) {
                instance.state = AlertState.FIRING;
                instance.firedAtMillis = now;
                emit(sink, AlertEvent.Kind.FIRING, instance);
                continue;
            }
            remind(sink, instance, now);
        }
        for (Iterator<AlertInstance> it = alerts.values().iterator(); it.hasNext(); ) {
            AlertInstance instance = it.next();
            if (held.contains(instance)) {
                continue;
            }
            instance.lastEvaluatedMillis = now;
            if (instance.state == AlertState.FIRING && now - instance.lastHeldMillis < rule.keepFiringForMillis()) {
                remind(sink, instance, now);
                continue;
            }
            instance.state = instance.state == AlertState.FIRING ? AlertState.RESOLVED : AlertState.INACTIVE;
            instance.resolvedAtMillis = now;
            emit(sink, AlertEvent.Kind.RESOLVED, instance);
            it.remove();
        }
    }

    /** Re-notification and escalation of an alert that keeps firing. */
    private void remind(AlertSink sink, AlertInstance instance, long now) {
        if (instance.state != AlertState.FIRING || instance.acknowledgedBy != null) {
            return;
        }
        Map<String, String> labels = instance.labels(rule.name());
        if (sink.silenced(labels)) {
            return;
        }
        Escalation escalation = rule.escalation();
        if (escalation != null && !instance.escalated && now - instance.firedAtMillis >= escalation.after().toMillis()) {
            instance.escalated = true;
            if (escalation.raiseSeverity()) {
                instance.severity = instance.severity.escalated();
            }
            emit(sink, AlertEvent.Kind.ESCALATED, instance);
            return;
        }
        long repeat = rule.repeatIntervalMillis();
        // An alert that fired while silenced has never been sent: it is due as soon as the silence ends.
        if (!instance.sentFiring || (repeat > 0 && now - instance.lastNotifiedMillis >= repeat)) {
            emit(sink, AlertEvent.Kind.REPEAT, instance);
        }
    }

    private void emit(AlertSink sink, AlertEvent.Kind kind, AlertInstance instance) {
        Alert alert = instance.toAlert(rule);
        boolean dispatch = kind == AlertEvent.Kind.RESOLVED ? instance.sentAny : !sink.silenced(alert.labels());
        if (dispatch && kind != AlertEvent.Kind.RESOLVED) {
            instance.sentAny = true;
            instance.sentFiring |= kind != AlertEvent.Kind.PENDING;
            instance.lastNotifiedMillis = instance.lastEvaluatedMillis;
        }
        Escalation escalation = rule.escalation();
        sink.emit(rule, new AlertEvent(kind, alert), dispatch,
                instance.escalated && escalation != null ? escalation.notifier() : null);
    }

    /** The identity of the alert for a label set: the series' labels and the rule's, without the severity. */
    private Map<String, String> identity(Map<String, String> sampleLabels) {
        Map<String, String> identity = new TreeMap<>(sampleLabels);
        identity.remove("severity");
        identity.putAll(rule.labels());
        return identity;
    }

    List<Alert> activeAlerts() {
        List<Alert> active = new ArrayList<>(alerts.size());
        for (AlertInstance instance : alerts.values()) {
            active.add(instance.toAlert(rule));
        }
        return active;
    }
}
