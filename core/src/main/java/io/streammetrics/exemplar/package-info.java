/**
 * Exemplars: an {@link io.streammetrics.exemplar.Exemplar} (a recorded value with its trace and span id and time),
 * the interned label sets an application attaches ({@link io.streammetrics.exemplar.ExemplarLabels}) and W3C trace id
 * parsing ({@link io.streammetrics.exemplar.TraceIds}). Values only: the rate limit and the automatic source live in
 * the engine ({@code internal.ring}, {@code internal.exemplar}).
 *
 * <p>API. <b>Depends on:</b> the JDK only, so that the store, snapshots and exporters can all carry exemplars.
 */
package io.streammetrics.exemplar;
