/**
 * The instruments applications record with: families ({@link io.streammetrics.metric.CounterFamily},
 * {@link io.streammetrics.metric.GaugeFamily}, {@link io.streammetrics.metric.HistogramFamily},
 * {@link io.streammetrics.metric.TimerFamily}) built from a {@link io.streammetrics.metric.Meter} (the engine), and
 * the handles they hand out for one series ({@link io.streammetrics.metric.Counter},
 * {@link io.streammetrics.metric.Gauge}, {@link io.streammetrics.metric.Histogram},
 * {@link io.streammetrics.metric.Timer}). A handle holds its pre-resolved series id; recording on it takes no lock,
 * does no lookup and allocates nothing.
 *
 * <p>API. <b>Depends on:</b> {@code common}, {@code exemplar}, and the engine internals a record and a registration
 * go through ({@code internal.ring}, {@code internal.registry}). Never on snapshots, exporters or alerting: handles
 * are the top of the record path (the architecture test checks this).
 */
package io.streammetrics.metric;
