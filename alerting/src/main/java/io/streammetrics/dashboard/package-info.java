/**
 * The operator's dashboard data ({@link io.streammetrics.dashboard.Dashboard}): per-stage throughput, latency
 * quantiles and error ratio over a window, alert counts, health, process vital signs and engine self-metrics,
 * computed with the rule language's windows and served as JSON by the operator API.
 */
package io.streammetrics.dashboard;
