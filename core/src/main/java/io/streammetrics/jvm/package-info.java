/**
 * Process and JVM collectors ({@link io.streammetrics.jvm.JvmMetrics}): callback gauges and counters read from
 * {@code java.lang.management} and {@code /proc} by a background thread once per refresh interval (default 1 s;
 * snapshots sample the last values), named as Prometheus client_java names them.
 */
package io.streammetrics.jvm;
