/**
 * The operator endpoints ({@link io.streammetrics.operator.OperatorApi}): health, alerts with
 * acknowledgement, silences and the dashboard data as JSON under {@code /api/} of the Prometheus exporter's HTTP
 * server, behind its authentication.
 */
package io.streammetrics.operator;
