/**
 * The live console ({@link io.streammetrics.console.Console}): a page served from the jar on the Prometheus HTTP
 * server, with per-stage charts, latency heatmaps, charts of any metric, alerts and health, fed by the
 * {@link io.streammetrics.dashboard.Dashboard}'s refreshes and kept, bounded, in the process.
 */
package io.streammetrics.console;
