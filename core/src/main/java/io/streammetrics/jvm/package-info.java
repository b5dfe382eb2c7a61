/**
 * Process and JVM collectors ({@link io.streammetrics.jvm.JvmMetrics}): callback gauges and counters read from
 * {@code java.lang.management} when a snapshot is taken, named as Prometheus client_java names them.
 */
package io.streammetrics.jvm;
