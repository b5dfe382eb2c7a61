/**
 * The stream-processing facade: {@link io.streammetrics.stream.StreamMetrics}, the standard metrics of one stage
 * (throughput, latency, errors, backlog, data quality, windows and joins, business metrics) on cached handles.
 */
package io.streammetrics.stream;
