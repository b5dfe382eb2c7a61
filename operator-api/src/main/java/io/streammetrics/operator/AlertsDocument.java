package io.streammetrics.operator;

import io.streammetrics.alert.Alert;
import io.streammetrics.alert.AlertEvent;
import io.streammetrics.alert.AlertJson;
import io.streammetrics.alert.expr.LabelMatcher;
import io.streammetrics.alert.Silence;
import io.streammetrics.json.JsonWriter;

import java.util.List;
import java.util.Locale;

/** The JSON documents of the alert and silence endpoints. */
final class AlertsDocument {
    private AlertsDocument() {
    }

    /**
     * {@code {"active":[alert...],"history":[{"kind":"firing","alert":{...}}...],"silences":[...]}}, the history newest
     * first and at most {@code historyLimit} events.
     */
    static String alerts(List<Alert> active, List<AlertEvent> history, int historyLimit, List<Silence> silences) {
        JsonWriter json = new JsonWriter().beginObject().name("active").beginArray();
        for (Alert alert : active) {
            alert(json, alert);
        }
        json.endArray().name("history").beginArray();
        for (int i = history.size() - 1; i >= Math.max(0, history.size() - historyLimit); i--) {
            AlertEvent event = history.get(i);
            json.beginObject().name("kind").value(event.kind().name().toLowerCase(Locale.ROOT)).name("alert");
            alert(json, event.alert());
            json.endObject();
        }
        json.endArray().name("silences");
        silenceArray(json, silences);
        return json.endObject().toString();
    }

    /** One alert as an object. */
    static String alert(Alert alert) {
        return alert(new JsonWriter(), alert).toString();
    }

    /** {@code {"silences":[...]}}. */
    static String silences(List<Silence> silences) {
        JsonWriter json = new JsonWriter().beginObject().name("silences");
        silenceArray(json, silences);
        return json.endObject().toString();
    }

    /** One silence as an object. */
    static String silence(Silence silence) {
        return silence(new JsonWriter(), silence).toString();
    }

    private static JsonWriter alert(JsonWriter json, Alert alert) {
        return AlertJson.members(json.beginObject(), alert).endObject();
    }

    private static void silenceArray(JsonWriter json, List<Silence> silences) {
        json.beginArray();
        for (Silence silence : silences) {
            silence(json, silence);
        }
        json.endArray();
    }

    /** Matchers as Alertmanager API v2 writes them, so that its clients' habits carry over. */
    private static JsonWriter silence(JsonWriter json, Silence silence) {
        json.beginObject().name("id").value(silence.id()).name("matchers").beginArray();
        for (LabelMatcher matcher : silence.matchers()) {
            LabelMatcher.Op op = matcher.op();
            json.beginObject().name("name").value(matcher.name()).name("value").value(matcher.value())
                    .name("isRegex").value(op == LabelMatcher.Op.REGEX || op == LabelMatcher.Op.NOT_REGEX)
                    .name("isEqual").value(op == LabelMatcher.Op.EQUAL || op == LabelMatcher.Op.REGEX)
                    .endObject();
        }
        return json.endArray().name("endsAt").timestamp(silence.endsAtMillis())
                .name("createdBy").value(silence.createdBy()).name("comment").value(silence.comment()).endObject();
    }
}
