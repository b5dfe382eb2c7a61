package io.streammetrics.alert;

import io.streammetrics.json.JsonWriter;

/**
 * The JSON members of an {@link Alert}, written the same way wherever an alert leaves the process (the webhook
 * notifier's documents, the operator API): {@code "id", "ruleName", "state", "severity", "value", "labels",
 * "annotations", "activeAt", "firedAt", "resolvedAt", "lastEvaluatedAt", "acknowledgedBy", "escalated"}, timestamps
 * in RFC 3339 UTC or {@code null} when not reached.
 */
public final class AlertJson {
    private AlertJson() {
    }

    /** Writes the alert's members into the object {@code json} has open (no braces: callers add their own members). */
    public static JsonWriter members(JsonWriter json, Alert alert) {
        return json.name("id").value(alert.id())
                .name("ruleName").value(alert.ruleName())
                .name("state").value(alert.state().label())
                .name("severity").value(alert.severity().label())
                .name("value").value(alert.value())
                .name("labels").value(alert.labels())
                .name("annotations").value(alert.annotations())
                .name("activeAt").timestamp(alert.activeAtMillis())
                .name("firedAt").timestamp(alert.firedAtMillis())
                .name("resolvedAt").timestamp(alert.resolvedAtMillis())
                .name("lastEvaluatedAt").timestamp(alert.lastEvaluatedMillis())
                .name("acknowledgedBy").value(alert.acknowledgedBy())
                .name("escalated").value(alert.escalated());
    }
}
