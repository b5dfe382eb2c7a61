/**
 * The stream-processing facade: {@link io.streammetrics.stream.StreamMetrics}, the standard metrics of one stage
 * (throughput, latency, errors, backlog, data quality, windows and joins, business metrics) on cached handles, and
 * {@link io.streammetrics.stream.StreamRules}, the default alert rules on them ({@code StreamMetrics.defaultRules()}).
 */
package io.streammetrics.stream;
