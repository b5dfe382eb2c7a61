package io.streammetrics.prometheus;

import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.model.registry.MetricNameFilter;
import io.streammetrics.MetricsEngine;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Renders Prometheus text 0.0.4 and OpenMetrics 1.0 straight from the engine's store, without building
 * {@code MetricsSnapshot} or client_java snapshot objects: the same samples as client_java's writers give for a
 * {@link PrometheusCollector}'s {@code collect()} (same families, names, labels, buckets, summaries, and values
 * that parse to the same doubles), at a fraction of the time and with no allocation per scrape in steady state.
 *
 * <pre>{@code
 * StoreTextWriter writer = StoreTextWriter.builder(collector).build();
 * writer.write(outputStream, TextFormat.PROMETHEUS_TEXT);
 * }</pre>
 *
 * <p>What never changes is worked out once: per family (on the first scrape that sees it) how it is exported
 * ({@link FamilyPlan}, kept by the collector and shared with its {@code collect()}) and, encoded, its metadata lines,
 * sample names and {@code le} labels ({@link TextFamily}); per series its label block. A scrape then reads every
 * series
 * inside one read epoch ({@code MetricsEngine.snapshot(SeriesVisitor)}, the same consistency as a snapshot:
 * a histogram's count equals the sum of its buckets) and appends lines into a reused buffer. Families that the
 * collector leaves out (an exported name taken by an earlier family, metadata client_java rejects) are left out
 * here too, counted and logged by the collector. Lines come in registration order rather than client_java's
 * sorted order, which neither format requires.
 *
 * <p>Protobuf (native histograms) has no counterpart here: it stays with client_java's writer, over the collector's
 * {@code collect()}, which streams the store the same way but builds client_java's model objects. Summaries work but
 * allocate their window per series, as on the client_java path. Thread-safe: scrapes render one at a time (they
 * hold the engine's snapshot lock while reading) and each renders into its own buffer.
 */
public final class StoreTextWriter {
    private final FamilyPlans plans;
    private final MetricsEngine engine;
    private final boolean includeCreatedTimestamps;
    private final AtomicReference<TextRenderer> spare = new AtomicReference<>();
    private final TextEncodings encodings = new TextEncodings();

    private StoreTextWriter(Builder builder) {
        this.plans = builder.collector.plans();
        this.engine = builder.collector.engine();
        this.includeCreatedTimestamps = builder.includeCreatedTimestamps;
    }

    /**
     * A builder for a writer of {@code collector}'s families; {@code _created} samples follow client_java's
     * configuration ({@code io.prometheus.exporter.includeCreatedTimestamps}) unless set.
     */
    public static Builder builder(PrometheusCollector collector) {
        return new Builder(collector);
    }

    /** Renders every family in {@code format} to {@code out} (not closed). */
    public void write(OutputStream out, TextFormat format) throws IOException {
        write(out, format, List.of());
    }

    /**
     * Renders the families whose exported name is selected by {@code names} (client_java's {@code name[]}
     * semantics, see {@code MetricNameFilter}; empty: all) in {@code format} to {@code out}.
     */
    public void write(OutputStream out, TextFormat format, List<String> names) throws IOException {
        TextRenderer renderer = render(format, names);
        try {
            out.write(renderer.bytes(), 0, renderer.length());
        } finally {
            release(renderer);
        }
    }

    /** Renders into a buffer to be handed back with {@link #release} once its bytes are sent. */
    TextRenderer render(TextFormat format, List<String> names) {
        Objects.requireNonNull(format, "format");
        TextRenderer renderer = spare.getAndSet(null);
        if (renderer == null) {
            // Only when scrapes overlap: the second one gets a buffer of its own.
            renderer = new TextRenderer(plans, encodings);
        }
        Predicate<String> filter = names.isEmpty() ? MetricNameFilter.ALLOW_ALL
                : MetricNameFilter.builder().nameMustBeEqualTo(names).build();
        renderer.begin(format, includeCreatedTimestamps, filter);
        engine.snapshot(renderer);
        renderer.end();
        return renderer;
    }

    void release(TextRenderer renderer) {
        spare.set(renderer);
    }

    /** Builds a {@link StoreTextWriter}. */
    public static final class Builder {
        private final PrometheusCollector collector;
        private boolean includeCreatedTimestamps =
                PrometheusProperties.get().getExporterProperties().getIncludeCreatedTimestamps();

        private Builder(PrometheusCollector collector) {
            this.collector = Objects.requireNonNull(collector, "collector");
        }

        /**
         * Whether counters, histograms and summaries get {@code _created} samples: in line in OpenMetrics, as
         * separate {@code _created} gauge families at the end of text 0.0.4, as client_java's writers do.
         */
        public Builder includeCreatedTimestamps(boolean include) {
            this.includeCreatedTimestamps = include;
            return this;
        }

        /** Builds the writer. */
        public StoreTextWriter build() {
            return new StoreTextWriter(this);
        }
    }
}
