/**
 * Base-2 exponential buckets, as OpenTelemetry's exponential histograms and Prometheus' native histograms define
 * them, mapped from the store's HdrHistogram bucket counts with a bounded number of buckets
 * ({@link io.streammetrics.internal.exponential.ExponentialBucketMapping}). Reads only bucket counts
 * ({@link io.streammetrics.common.BucketCounts}) and the HDR layout: no exporter, snapshot or engine type, so every
 * exporter of exponential buckets (Prometheus scrape and remote write, OTLP) shares it.
 *
 * <p><b>Depends on:</b> {@code common} only.
 *
 * <p><b>Internal:</b> this package is part of streammetrics' implementation, public only so that the project's own
 * modules (the exporters) can reach it. It is not API: it may change in any release without notice. Applications
 * use {@code io.streammetrics}, {@code io.streammetrics.metric}, {@code io.streammetrics.common},
 * {@code io.streammetrics.snapshot}, {@code io.streammetrics.exemplar} and the exporters' builders.
 */
package io.streammetrics.internal.exponential;
