/**
 * Registration: metric names and label rules, families and series, and their slots in the store. Registration is the
 * only place that allocates; the record path reads what it resolved.
 *
 * Readers get one immutable {@code metadata} value per family and per series, made here at registration; the mutable
 * registration state (series by label values, overflow series, handles, callback bindings) stays in this package.
 *
 * <p><b>Depends on:</b> {@code common}, {@code exemplar} (interned exemplar label sets), {@code metadata} (what it
 * hands readers) and {@code internal.store} (slots and family records). Not on the record path: the engine bounds the histogram count by what a ring event
 * can address before it builds the registry.
 *
 * <p><b>Internal:</b> this package is part of streammetrics' implementation, public only so that the project's own
 * modules (the exporters) can reach it. It is not API: it may change in any release without notice. Applications
 * use {@code io.streammetrics}, {@code io.streammetrics.metric}, {@code io.streammetrics.common},
 * {@code io.streammetrics.snapshot}, {@code io.streammetrics.exemplar} and the exporters' builders.
 */
package io.streammetrics.internal.registry;
