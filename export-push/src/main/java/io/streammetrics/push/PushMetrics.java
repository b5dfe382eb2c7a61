package io.streammetrics.push;

import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.CounterFamily;
import io.streammetrics.metric.Timer;

/**
 * A push exporter's own metrics, registered on the engine it pushes (so they are pushed and scraped like any other
 * family), by {@code exporter} ({@code remote_write}, {@code influx}):
 * <ul>
 *   <li>{@code streammetrics_push_samples_total{result="sent|failed|dropped"}}: samples the receiver took; samples
 *       of batches given up after retryable failures (superseded by a newer batch, or undelivered at close); and
 *       samples of batches the receiver rejected with a 4xx, which are never retried;</li>
 *   <li>{@code streammetrics_push_requests_total{result="success|retry|rejected"}}: HTTP attempts by outcome;</li>
 *   <li>{@code streammetrics_push_duration_seconds}: time of one attempt, encoding included for a fresh batch.</li>
 * </ul>
 * Registration is idempotent, so two exporters of one kind on one engine share the series.
 */
final class PushMetrics {
    final Counter sent;
    final Counter failed;
    final Counter dropped;
    final Counter success;
    final Counter retry;
    final Counter rejected;
    final Timer duration;

    PushMetrics(MetricsEngine engine, String exporter) {
        CounterFamily samples = engine.counter("streammetrics_push_samples")
                .help("Samples pushed to a time-series database, by exporter and result (sent, failed after "
                        + "retries, dropped on a 4xx).")
                .labelNames("exporter", "result").register();
        this.sent = samples.labels(exporter, "sent");
        this.failed = samples.labels(exporter, "failed");
        this.dropped = samples.labels(exporter, "dropped");
        CounterFamily requests = engine.counter("streammetrics_push_requests")
                .help("Push requests by exporter and outcome (success, retry on no answer/5xx/429, rejected 4xx).")
                .labelNames("exporter", "result").register();
        this.success = requests.labels(exporter, "success");
        this.retry = requests.labels(exporter, "retry");
        this.rejected = requests.labels(exporter, "rejected");
        this.duration = engine.timer("streammetrics_push_duration")
                .help("Time of one push attempt (encoding and HTTP request).")
                .labelNames("exporter").register().labels(exporter);
    }
}
