/**
 * Consistent, immutable snapshots of the store for readers ({@link io.streammetrics.snapshot.MetricsSnapshot} of
 * {@link io.streammetrics.snapshot.FamilySnapshot}s and their points), taken without stopping the aggregator
 * ({@link io.streammetrics.snapshot.SnapshotTaker}), and a cursor over series for readers that render straight from
 * the store without building a snapshot ({@link io.streammetrics.snapshot.SeriesVisitor}).
 *
 * <p>API. <b>Depends on:</b> {@code common}, {@code exemplar} and the engine internals it reads ({@code internal.store},
 * {@code internal.registry}'s series metadata, {@code internal.ring} for callback samples). Nothing of the record path
 * depends on this package, and it depends on no exporter or alerting code (the architecture test checks both).
 */
package io.streammetrics.snapshot;
