/**
 * Per-thread cells, the record path's cheapest form: counter cells
 * ({@link io.streammetrics.internal.cell.CounterCells}, and {@link io.streammetrics.internal.cell.SharedCounterCells}
 * striped by thread for threads without a ring of their own) and histogram cells ({@link io.streammetrics.internal.cell.HistogramCells} of
 * {@link io.streammetrics.internal.cell.HistogramCell}s, granted to hot (thread, histogram) pairs per
 * {@link io.streammetrics.internal.cell.HeatPeriod} within a {@link io.streammetrics.internal.cell.CellBudget}). A
 * recording thread writes only its own cells; the aggregator sweeps what grew into the store. Why cells and not ring
 * events, with the measurements, is told in {@code internal.ring}'s package documentation.
 *
 * <p><b>Depends on:</b> {@code common} (bucket layout) and {@code internal.store} (the histogram delta the sweep
 * fills), the JDK and Agrona. Not on the rings that hold the cells: what cells ask of their ring goes through
 * {@link io.streammetrics.internal.cell.RingFill}. Never on snapshots, exporters or alerting (the architecture test
 * checks this).
 *
 * <p><b>Internal:</b> this package is part of streammetrics' implementation, public only so that the project's own
 * modules can reach it. It is not API: it may change in any release without notice.
 */
package io.streammetrics.internal.cell;
