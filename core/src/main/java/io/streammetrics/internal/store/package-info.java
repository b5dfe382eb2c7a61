/**
 * The off-heap store: one Agrona buffer (anonymous or memory-mapped) laid out by {@code StoreLayout}, written only by
 * the aggregator thread under a per-series seqlock with a shadow copy, read without locks by snapshots, exporters and
 * {@code StoreReader} in other processes. The store owns its layout, its type codes and the histogram count pages.
 *
 * <p><b>Depends on:</b> {@code common} (metric types, bucket layouts) and {@code exemplar} (exemplar values), the JDK
 * and Agrona; nothing of streammetrics above it.
 *
 * <p><b>Internal:</b> this package is part of streammetrics' implementation, public only so that the project's own
 * modules (the exporters) can reach it. It is not API: it may change in any release without notice. Applications
 * use {@code io.streammetrics}, {@code io.streammetrics.metric}, {@code io.streammetrics.common},
 * {@code io.streammetrics.snapshot}, {@code io.streammetrics.exemplar} and the exporters' builders.
 */
package io.streammetrics.internal.store;
