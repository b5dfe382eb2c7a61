/**
 * Consistent, immutable snapshots of the store for readers ({@link io.streammetrics.snapshot.MetricsSnapshot} of
 * {@link io.streammetrics.snapshot.FamilySnapshot}s and their points), taken without stopping the aggregator
 * ({@link io.streammetrics.snapshot.SnapshotTaker}), and a cursor over series for readers that render straight from
 * the store without building a snapshot ({@link io.streammetrics.snapshot.SeriesVisitor}). Families and series come
 * as their immutable {@code metadata} values. Callback gauges and counters are sampled here, on the reading thread,
 * which claims no producer ring for it: the values reach the store through the aggregator
 * ({@code internal.aggregate.CallbackWrites}).
 *
 * <p>API. <b>Depends on:</b> {@code common}, {@code exemplar}, {@code metadata} and the engine internals it reads
 * ({@code internal.store}, {@code internal.registry}'s published series lists and callback bindings,
 * {@code internal.aggregate}'s {@code CallbackWrites} for callback samples). Nothing of the record path
 * depends on this package, and it depends on no exporter or alerting code (the architecture test checks both).
 */
package io.streammetrics.snapshot;
