/**
 * Base-2 exponential buckets, as OpenTelemetry's exponential histograms and Prometheus' native histograms define
 * them, mapped from the store's HdrHistogram bucket counts with a bounded number of buckets
 * ({@link io.streammetrics.exponential.ExponentialBucketMapping}). Reads only bucket counts
 * ({@link io.streammetrics.store.BucketCounts}) and the HDR layout: no exporter, snapshot or engine type, so every
 * exporter of exponential buckets (Prometheus scrape and remote write, OTLP) shares it.
 */
package io.streammetrics.exponential;
