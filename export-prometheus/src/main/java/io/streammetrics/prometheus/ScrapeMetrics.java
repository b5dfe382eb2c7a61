package io.streammetrics.prometheus;

import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.Timer;

/**
 * The exporter's own metrics, registered on the engine it exports and recorded through ordinary handles, so that
 * they show up in the next scrape like any other family:
 * {@code streammetrics_scrapes_total}, {@code streammetrics_scrape_errors_total} and the timer
 * {@code streammetrics_scrape_duration_seconds}. Registration is idempotent, so several servers on one engine share
 * the series.
 */
final class ScrapeMetrics {
    final Counter scrapes;
    final Counter errors;
    final Timer duration;

    ScrapeMetrics(MetricsEngine engine) {
        this.scrapes = engine.counter("streammetrics_scrapes")
                .help("Scrapes of the Prometheus endpoint answered successfully.").register().labels();
        this.errors = engine.counter("streammetrics_scrape_errors")
                .help("Scrapes of the Prometheus endpoint that failed (conversion, rendering or sending).")
                .register().labels();
        this.duration = engine.timer("streammetrics_scrape_duration")
                .help("Time to snapshot, convert, render and send one scrape.").register().labels();
    }
}
