/**
 * The vocabulary every layer uses: the kinds of metric ({@link io.streammetrics.common.MetricType}) and their units
 * ({@link io.streammetrics.common.Unit}), the HdrHistogram bucket layout ({@link io.streammetrics.common.HistogramLayout})
 * and read access to bucket counts ({@link io.streammetrics.common.BucketCounts}), classic {@code le} buckets
 * ({@link io.streammetrics.common.ClassicBuckets}) and their defaults ({@link io.streammetrics.common.DefaultBuckets}),
 * the engine's clock ({@link io.streammetrics.common.EngineClock}) and duration settings
 * ({@link io.streammetrics.common.Durations}). As the OpenTelemetry SDK's {@code sdk.common} holds its {@code Clock}.
 *
 * <p>API. <b>Depends on:</b> the JDK and Agrona only, nothing else of streammetrics: it is the bottom layer, so that
 * handles, registry, cells, rings, store, snapshots, exporters and alerting can all use it without a cycle (the
 * architecture test checks this).
 */
package io.streammetrics.common;
