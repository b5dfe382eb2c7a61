package io.streammetrics.alert;

import io.streammetrics.alert.expr.EvalContext;
import io.streammetrics.alert.expr.Sample;
import io.streammetrics.alert.rule.AlertRule;
import io.streammetrics.alert.rule.ErrorState;
import io.streammetrics.alert.rule.Escalation;
import io.streammetrics.alert.rule.NoDataState;
import io.streammetrics.alert.rule.Severity;

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
 * set, so it keeps its id across evaluations and episodes. When the rule's query returns no data or its evaluation
 * fails, its {@link NoDataState} or {@link ErrorState} applies; the default ones keep every alert's state and hold
 * the rule's synthetic {@code NoData} or {@code EvaluationError} alert, which resolves at the next evaluation with
 * data (with no failure).
 */
final class RuleState {
    /** The synthetic alert of a rule whose query returned no data. */
    static final String NO_DATA = "NoData";
    /** The synthetic alert of a rule whose evaluation failed. */
    static final String EVALUATION_ERROR = "EvaluationError";

    final AlertRule rule;
    private final Map<String, String> noDataIdentity;
    private final Map<String, String> errorIdentity;
    private int evaluations;
    long lastEvaluatedMillis = Long.MIN_VALUE;
    final Map<Map<String, String>, AlertInstance> alerts = new LinkedHashMap<>();

    RuleState(AlertRule rule) {
        this.rule = rule;
        this.noDataIdentity = AlertInstance.synthetic(rule, NO_DATA).identity;
        this.errorIdentity = AlertInstance.synthetic(rule, EVALUATION_ERROR).identity;
    }

    void evaluate(EvalContext context, AlertSink sink) {
        long now = context.nowMillis();
        List<Sample> holding = rule.condition().holding(context, labels -> {
            AlertInstance instance = alerts.get(identity(labels));
            return instance != null && instance.isActive();
        });
        // The first evaluation after a load has one sample per window: a rate has no value yet, which is not a gap.
        boolean noData = evaluations++ > 0 && rule.condition().noData();
        release(EVALUATION_ERROR, now, sink);
        if (!noData) {
            release(NO_DATA, now, sink);
            apply(holding, context, now, sink);
            return;
        }
        NoDataState policy = rule.noDataState();
        switch (policy) {
            case OK -> apply(List.of(), context, now, sink);
            case ALERTING -> apply(asIfHolding(), context, now, sink);
            case KEEP_LAST_STATE -> keep(now, sink);
            case NO_DATA -> keep(now, sink);
        }
        if (policy == NoDataState.NO_DATA) {
            raise(NO_DATA, "Rule " + rule.name() + " returned no data: no series with a value", now, sink);
        } else {
            release(NO_DATA, now, sink);
        }
    }

    /** The evaluation of the rule threw {@code failure}: applies the rule's {@link ErrorState}. */
    void failed(long now, RuntimeException failure, AlertSink sink) {
        evaluations++;
        ErrorState policy = rule.errorState();
        switch (policy) {
            case OK -> apply(List.of(), null, now, sink);
            case ALERTING -> apply(asIfHolding(), null, now, sink);
            case KEEP_LAST_STATE -> keep(now, sink);
            case ERROR -> keep(now, sink);
        }
        if (policy == ErrorState.ERROR) {
            raise(EVALUATION_ERROR, "Rule " + rule.name() + " failed: " + failure, now, sink);
        } else {
            release(EVALUATION_ERROR, now, sink);
        }
    }

    /**
     * Moves the rule's alerts on: those in {@code holding} hold, the others stop holding. {@code context} is null
     * when the holding samples stand in for a failed evaluation.
     */
    private void apply(List<Sample> holding, EvalContext context, long now, AlertSink sink) {
        Set<AlertInstance> held = new HashSet<>();
        for (Sample sample : holding) {
            Map<String, String> identity = identity(sample.labels());
            AlertInstance instance = alerts.computeIfAbsent(identity, k -> new AlertInstance(rule.name(), k));
            held.add(instance);
            // Only a real evaluation has series to point at (not the no-data or error states' stand-ins).
            instance.exemplar = context == null ? null : rule.condition().exemplar(context, sample.labels());
            hold(instance, sample.value(), sample.labels().get("severity"), now, sink);
        }
        for (Iterator<AlertInstance> it = alerts.values().iterator(); it.hasNext(); ) {
            AlertInstance instance = it.next();
            if (held.contains(instance) || instance.syntheticName != null) {
                continue;
            }
            instance.lastEvaluatedMillis = now;
            if (instance.state == AlertState.FIRING && now - instance.lastHeldMillis < rule.keepFiringForMillis()) {
                remind(sink, instance, now);
                continue;
            }
            resolve(instance, now, sink);
            it.remove();
        }
    }

    /** The condition holds for {@code instance} at this evaluation: pending, firing after {@code for}, reminders. */
    private void hold(AlertInstance instance, double value, String severity, long now, AlertSink sink) {
        instance.value = value;
        instance.lastHeldMillis = now;
        instance.lastEvaluatedMillis = now;
        if (!instance.escalated) {
            instance.severity = severity == null ? rule.severity() : Severity.parse(severity);
        }
        if (instance.state == AlertState.INACTIVE) {
            instance.state = AlertState.PENDING;
            instance.activeAtMillis = now;
            if (rule.forMillis() > 0) {
                emit(sink, AlertEvent.Kind.PENDING, instance);
                return;
            }
        }
        if (instance.state == AlertState.PENDING && now - instance.activeAtMillis >= rule.forMillis()) {
            instance.state = AlertState.FIRING;
            instance.firedAtMillis = now;
            emit(sink, AlertEvent.Kind.FIRING, instance);
            return;
        }
        remind(sink, instance, now);
    }

    private void resolve(AlertInstance instance, long now, AlertSink sink) {
        instance.state = instance.state == AlertState.FIRING ? AlertState.RESOLVED : AlertState.INACTIVE;
        instance.resolvedAtMillis = now;
        emit(sink, AlertEvent.Kind.RESOLVED, instance);
    }

    /** The rule's alerts keep their state (no data or a failure under a keeping policy); firing ones are reminded. */
    private void keep(long now, AlertSink sink) {
        for (AlertInstance instance : alerts.values()) {
            if (instance.syntheticName == null) {
                instance.lastEvaluatedMillis = now;
                remind(sink, instance, now);
            }
        }
    }

    /** Every alert of the rule as holding with its last value, or one with the rule's labels when it has none. */
    private List<Sample> asIfHolding() {
        List<Sample> samples = new ArrayList<>();
        for (AlertInstance instance : alerts.values()) {
            if (instance.syntheticName == null) {
                samples.add(new Sample(instance.identity, instance.value));
            }
        }
        return samples.isEmpty() ? List.of(new Sample(Map.of(), Double.NaN)) : samples;
    }

    /** Holds the rule's synthetic alert {@code name}, creating it if needed. */
    private void raise(String name, String detail, long now, AlertSink sink) {
        AlertInstance instance = alerts.computeIfAbsent(name.equals(NO_DATA) ? noDataIdentity : errorIdentity,
                k -> AlertInstance.synthetic(rule, name));
        instance.detail = detail;
        hold(instance, Double.NaN, null, now, sink);
    }

    /** Resolves the rule's synthetic alert {@code name} if it is active. */
    private void release(String name, long now, AlertSink sink) {
        if (alerts.isEmpty()) {
            return;
        }
        AlertInstance instance = alerts.remove(name.equals(NO_DATA) ? noDataIdentity : errorIdentity);
        if (instance != null) {
            instance.lastEvaluatedMillis = now;
            resolve(instance, now, sink);
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
