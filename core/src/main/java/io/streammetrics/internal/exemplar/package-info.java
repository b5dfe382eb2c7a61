/**
 * Where automatic exemplars come from: {@link io.streammetrics.internal.exemplar.OpenTelemetryCurrentSpan}, the one
 * class of streammetrics that names the OpenTelemetry API, which the engine loads by name only when automatic
 * exemplars are turned on. The rate limit and the source interface it implements sit with the rings they publish on
 * ({@code internal.ring}); exemplar values and labels are API ({@code io.streammetrics.exemplar}).
 *
 * <p><b>Depends on:</b> {@code internal.ring}, {@code exemplar}, {@code common} and the OpenTelemetry API (optional at
 * run time).
 *
 * <p><b>Internal:</b> public only so that streammetrics' own modules can use it; not API, and it may change in any
 * release without notice.
 */
package io.streammetrics.internal.exemplar;
