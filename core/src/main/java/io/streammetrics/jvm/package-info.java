/**
 * Process and JVM collectors ({@link io.streammetrics.jvm.JvmMetrics}): callback gauges and counters read from
 * {@code java.lang.management} and {@code /proc} by a background thread once per refresh interval (default 1 s;
 * snapshots sample the last values), named as Prometheus client_java names them.
 *
 * <p>API. <b>Depends on:</b> {@code metric} and {@code common}: the collectors register with a
 * {@link io.streammetrics.metric.Meter}, not with the engine class, so that the engine can register them without a
 * cycle.
 */
package io.streammetrics.jvm;
