package io.streammetrics.alert.notify;

import io.streammetrics.alert.AlertEvent;
import io.streammetrics.alert.AlertJson;
import io.streammetrics.alert.AlertNotifier;
import io.streammetrics.json.JsonWriter;

import java.net.URI;
import java.util.Locale;

/**
 * POSTs each alert event as one JSON document to a URL, retrying transient failures with exponential backoff
 * ({@link RetryPolicy}) and throwing after the last attempt so that the evaluator counts the failure.
 *
 * <pre>{@code
 * AlertNotifier webhook = WebhookNotifier.builder(URI.create("https://ops.example.com/hooks/alerts"))
 *         .header("Authorization", "Bearer " + token)
 *         .timeout(Duration.ofSeconds(5))
 *         .retryPolicy(RetryPolicy.builder().maxRetries(5).build())
 *         .build();
 * }</pre>
 *
 * <p>The document (version 1; fields are only ever added):
 * <pre>{@code
 * {"version":1,"kind":"firing","id":"...","ruleName":"HighLatency","state":"firing","severity":"critical",
 *  "value":0.42,"labels":{"alertname":"HighLatency","severity":"critical","stage":"parse"},
 *  "annotations":{"summary":"..."},"activeAt":"2026-01-02T03:04:05.678Z","firedAt":"...","resolvedAt":null,
 *  "lastEvaluatedAt":"...","acknowledgedBy":null,"escalated":false}
 * }</pre>
 * {@code kind} is the event ({@code pending}, {@code firing}, {@code repeat}, {@code escalated}, {@code resolved});
 * timestamps are RFC 3339 in UTC, {@code null} when the alert has not reached that point; a non-finite value is the
 * string {@code "NaN"}, {@code "+Inf"} or {@code "-Inf"}. Every event the evaluator dispatches is sent, pending ones
 * included, and so is the resolution of an alert whose pending notice was sent but that never fired
 * ({@code "firedAt":null}), so that a receiver that acted on the notice learns it is over: filter in the receiver or
 * route only the events wanted to this notifier. A receiver should treat {@code id} plus
 * {@code kind} as idempotency key: a retried request may arrive twice when a response was lost.
 */
public final class WebhookNotifier implements AlertNotifier {
    /** The version of the document's shape, sent as {@code "version"}. */
    public static final int DOCUMENT_VERSION = 1;

    private final String name;
    private final URI url;
    private final JsonPoster poster;

    private WebhookNotifier(Builder builder) {
        this.name = builder.name;
        this.url = builder.url;
        this.poster = builder.http.build();
    }

    /**
     * A builder posting to {@code url}.
     *
     * @throws IllegalArgumentException if the URL is not absolute http or https
     */
    public static Builder builder(URI url) {
        return new Builder(url);
    }

    @Override
    public String name() {
        return name;
    }

    /** The URL this notifier posts to. */
    public URI url() {
        return url;
    }

    @Override
    public void notify(AlertEvent event) throws Exception {
        poster.post(url, document(event));
    }

    /** The JSON document sent for {@code event}. */
    static String document(AlertEvent event) {
        JsonWriter json = new JsonWriter().beginObject()
                .name("version").value(DOCUMENT_VERSION)
                .name("kind").value(event.kind().name().toLowerCase(Locale.ROOT));
        return AlertJson.members(json, event.alert())
                .endObject().toString();
    }

    @Override
    public String toString() {
        return "WebhookNotifier{" + name + " -> " + url + '}';
    }

    /**
     * Builds a {@link WebhookNotifier}: name (default {@code webhook}), headers, timeout (default 10 s) and retry
     * policy (default {@link RetryPolicy#defaults()}: 3 retries) come from {@link HttpNotifierBuilder}.
     */
    public static final class Builder extends HttpNotifierBuilder<Builder> {
        private final URI url;

        private Builder(URI url) {
            super("webhook", RetryPolicy.defaults());
            this.url = HttpUris.absolute(url, "webhook URL");
        }

        /** Builds the notifier. */
        public WebhookNotifier build() {
            return new WebhookNotifier(this);
        }
    }
}
