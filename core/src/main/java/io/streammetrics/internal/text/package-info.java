/**
 * Number formatting shared by the text exporters (Prometheus text and OpenMetrics, line protocol): the shortest
 * round-tripping decimal without allocation.
 *
 * <p><b>Depends on:</b> the JDK only.
 *
 * <p><b>Internal:</b> this package is part of streammetrics' implementation, public only so that the project's own
 * modules (the exporters) can reach it. It is not API: it may change in any release without notice. Applications
 * use {@code io.streammetrics}, {@code io.streammetrics.metric}, {@code io.streammetrics.common},
 * {@code io.streammetrics.snapshot}, {@code io.streammetrics.exemplar} and the exporters' builders.
 */
package io.streammetrics.internal.text;
