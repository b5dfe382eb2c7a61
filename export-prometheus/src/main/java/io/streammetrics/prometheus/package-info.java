/**
 * The Prometheus exporter: scrapes of a {@link io.streammetrics.MetricsEngine} in text 0.0.4, OpenMetrics 1.0 and
 * protobuf (native histograms), and the HTTP server that serves them.
 *
 * <p><b>API.</b> {@link io.streammetrics.prometheus.PrometheusCollector} (and its builder: histogram modes, classic
 * and native buckets, summaries) adapts the engine to client_java as a {@code MultiCollector};
 * {@link io.streammetrics.prometheus.StoreTextWriter} renders both text formats straight from the store;
 * {@link io.streammetrics.prometheus.PrometheusHttpServer} serves {@code /metrics} (on which the operator API and
 * the console mount); {@link io.streammetrics.prometheus.HistogramMode} and
 * {@link io.streammetrics.prometheus.TextFormat} are their options. Everything else here is package-private.
 *
 * <p><b>A scrape, in three steps.</b> Configuration: the builder's settings become an immutable
 * {@code CollectorConfig}. Plans: per family, once, {@code FamilyPlans} works out a {@code FamilyPlan} (one final class
 * per kind: counter, gauge, histogram, summary) that knows nothing of client_java or of any format: exported names,
 * unit, scale, classic bounds and where their counts come from, native settings, a summary's window; families that
 * cannot be exported (a name taken by an earlier family, metadata client_java rejects) get no plan and are counted in
 * {@code SkippedFamilies}. Renderers: {@code TextRenderer} (our text writer, from pre-encoded {@code TextFamily}
 * parts) and {@code ModelBuilder} (client_java's model, which its writers turn into protobuf) visit the store and
 * read a histogram's classic counts through one helper, {@code ClassicCounts} (the store's counts for a family's own
 * bounds, else mapped from the HDR buckets by {@code ClassicBucketMapping}). Summaries keep their sliding windows in
 * {@code SlidingWindowSummary}. The HTTP side ({@code MetricsHandler}, {@code ContextRouter}, {@code ServerExchange},
 * {@code RequestAuthenticator}, ...) only calls the two renderers.
 *
 * <p><b>Depends on</b> the engine's reader side (snapshots and the store visit: {@code io.streammetrics.snapshot},
 * the store's readings, family and series descriptors), the shared bucket layouts and naming rules, client_java's
 * model, exposition formats and configuration, and the JDK's HTTP server; never on the record path (rings,
 * aggregator). The operator API ({@code operator-api} module) and the console mount on the server; nothing here
 * depends on them.
 */
package io.streammetrics.prometheus;
