/**
 * Alert notifiers that leave the process: {@link io.streammetrics.alert.notify.LogNotifier} (a line per event on
 * {@link java.lang.System.Logger}), {@link io.streammetrics.alert.notify.WebhookNotifier} (a JSON document per event,
 * retried with backoff) and {@link io.streammetrics.alert.notify.AlertmanagerNotifier} (Prometheus Alertmanager API
 * v2, firing alerts re-sent periodically as Prometheus does).
 *
 * <p>They block on I/O and may throw: the evaluator gives each notifier its own bounded queue and thread and counts
 * failures and drops, so none of them queues or counts on its own. HTTP goes through the JDK's
 * {@link java.net.http.HttpClient}; {@link io.streammetrics.alert.notify.RetryPolicy} says which failures are
 * retried (connection errors, timeouts, HTTP 408, 429, 5xx; never another 4xx, which would fail again the same way)
 * and how long to wait in between.
 *
 * <p>Depends on {@link io.streammetrics.alert} (the notifier interface, alerts and events),
 * {@link io.streammetrics.alert.rule} (severities) and {@link io.streammetrics.json}; the evaluator knows notifiers
 * only through {@link io.streammetrics.alert.AlertNotifier}, never this package.
 */
package io.streammetrics.alert.notify;
