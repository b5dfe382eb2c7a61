package io.streammetrics.alert.notify;

import io.streammetrics.alert.Alert;
import io.streammetrics.alert.AlertEvent;
import io.streammetrics.alert.AlertState;
import io.streammetrics.alert.rule.Severity;

import java.util.Map;

/** Alerts and events as the evaluator would make them, for notifier tests. */
final class TestAlerts {
    /** 2026-01-02T03:04:05.678Z. */
    static final long ACTIVE_AT = 1_767_323_045_678L;
    static final long FIRED_AT = ACTIVE_AT + 60_000;
    static final long RESOLVED_AT = FIRED_AT + 300_000;

    private TestAlerts() {
    }

    static Alert firing(String rule, Map<String, String> labels, Severity severity) {
        return new Alert(rule + labels, rule, labels, Map.of("summary", rule + " is firing"), severity,
                AlertState.FIRING, 0.5, ACTIVE_AT, FIRED_AT, 0, FIRED_AT, null, false);
    }

    static Alert resolved(Alert alert) {
        return new Alert(alert.id(), alert.ruleName(), alert.labels(), alert.annotations(), alert.severity(),
                AlertState.RESOLVED, alert.value(), alert.activeAtMillis(), alert.firedAtMillis(), RESOLVED_AT,
                RESOLVED_AT, alert.acknowledgedBy(), alert.escalated());
    }

    static AlertEvent event(AlertEvent.Kind kind, Alert alert) {
        return new AlertEvent(kind, alert);
    }
}
