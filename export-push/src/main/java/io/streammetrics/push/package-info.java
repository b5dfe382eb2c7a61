/**
 * The push loop that the time-series database exporters share ({@code export-remote-write},
 * {@code export-influx}): one {@link io.streammetrics.push.PushLoop} per exporter, fed by its wire format's
 * {@link io.streammetrics.push.PushEncoder}, configured through {@link io.streammetrics.push.PushExporterBuilder}.
 * Depends on the engine's public read API and the JDK's HTTP client only.
 */
package io.streammetrics.push;
