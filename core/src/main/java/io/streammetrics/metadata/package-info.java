/**
 * What readers know of the registered families and series: one immutable {@link
 * io.streammetrics.metadata.FamilyMetadata} per family and one {@link io.streammetrics.metadata.SeriesMetadata} per
 * series, created once at registration by the engine's registry and shared by every reader (snapshots, exporters,
 * the evaluator) without a lock. The registration state behind them (series by label values, handles, callbacks)
 * stays in the registry.
 *
 * <p>Public API. Depends only on the engine's vocabulary (metric types, units, classic bucket layouts); the
 * registry and the readers depend on it, never the other way.
 */
package io.streammetrics.metadata;
