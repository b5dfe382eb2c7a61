/**
 * The single writer: the aggregator thread that drains producer rings, sweeps cells into the store, answers snapshot
 * requests, writes the callback samples the snapshot side hands over ({@code CallbackWrites}) and keeps the engine's
 * self-metrics.
 *
 * <p><b>Depends on:</b> {@code common}, {@code internal.ring} and {@code internal.cell} (what it drains and sweeps),
 * {@code internal.store} (what it writes), {@code internal.registry}, {@code metadata} and {@code metric} (the self-metrics register
 * families of their own). Never on snapshots (the callback failure total comes in as a {@code LongSupplier}),
 * exporters or alerting (the architecture test checks this).
 *
 * <p><b>Internal:</b> this package is part of streammetrics' implementation, public only so that the project's own
 * modules (the exporters) can reach it. It is not API: it may change in any release without notice. Applications
 * use {@code io.streammetrics}, {@code io.streammetrics.metric}, {@code io.streammetrics.common},
 * {@code io.streammetrics.snapshot}, {@code io.streammetrics.exemplar} and the exporters' builders.
 */
package io.streammetrics.internal.aggregate;
