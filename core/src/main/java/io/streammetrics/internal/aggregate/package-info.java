/**
 * The single writer: the aggregator thread that drains producer rings, sweeps cells into the store, answers snapshot
 * requests and keeps the engine's self-metrics. Depends on the registry, the record path and the store; nothing
 * here knows snapshots' consumers, exporters or alerting.
 *
 * <p><b>Internal:</b> this package is part of streammetrics' implementation, public only so that the project's own
 * modules (the exporters) can reach it. It is not API: it may change in any release without notice. Applications
 * use {@code io.streammetrics}, {@code io.streammetrics.metric}, {@code io.streammetrics.snapshot} and the exporters'
 * builders.
 */
package io.streammetrics.internal.aggregate;
