package io.streammetrics.benchmarks;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.CounterFamily;
import io.streammetrics.metric.TimerFamily;
import io.streammetrics.prometheus.HistogramMode;
import io.streammetrics.prometheus.PrometheusCollector;
import io.streammetrics.prometheus.StoreTextWriter;
import io.streammetrics.prometheus.TextFormat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The same series in streammetrics and in client_java's registry, and one scrape of either to Prometheus text or
 * protobuf with client_java's writers, so that the scrape benchmarks compare rendering, not data. Timer families
 * get varying latencies per series (50 by default; classic buckets with client_java's default bounds, or native
 * buckets, or both, in both libraries); counter families a value per series. Series are labelled
 * {@code shard="s0"..}.
 */
public final class ScrapeFixture {
    private static final int VALUES_PER_HISTOGRAM = 50;
    // The families the scrape and push benchmarks spread their series over (see spread).
    private static final int HISTOGRAM_FAMILIES = 10;
    private static final int COUNTER_FAMILIES = 90;

    private final PrometheusCollector collector;
    private final StoreTextWriter storeText;
    private final PrometheusRegistry registry;
    private final ExpositionFormatWriter text;
    private final ExpositionFormatWriter protobuf;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(4 << 20);

    /**
     * Registers {@code histogramFamilies} timer families of {@code histogramsPerFamily} series and
     * {@code counterFamilies} counter families of {@code countersPerFamily} series, in both libraries of {@code peers}.
     */
    public ScrapeFixture(Peers peers, int histogramFamilies, int histogramsPerFamily, int counterFamilies,
                         int countersPerFamily) {
        this(peers, histogramFamilies, histogramsPerFamily, counterFamilies, countersPerFamily, VALUES_PER_HISTOGRAM,
                HistogramMode.CLASSIC, PrometheusCollector.DEFAULT_NATIVE_MAX_NUMBER_OF_BUCKETS);
    }

    /**
     * As above, with {@code valuesPerHistogram} latencies per timer series, exported as {@code mode} says
     * (client_java's histograms classic-only, native-only or both to match, with its default 160 native buckets at
     * most), and streammetrics' native histograms bounded to {@code nativeMaxBuckets} (0: no limit).
     */
    public ScrapeFixture(Peers peers, int histogramFamilies, int histogramsPerFamily, int counterFamilies,
                         int countersPerFamily, int valuesPerHistogram, HistogramMode mode, int nativeMaxBuckets) {
        this.registry = peers.prometheus;
        int value = 0;
        for (int f = 0; f < histogramFamilies; f++) {
            TimerFamily timers = peers.engine.timer("scrape_latency_" + f).help("Latency.").labelNames("shard").register();
            Histogram.Builder peerBuilder = Histogram.builder().name("scrape_latency_" + f + "_seconds")
                    .help("Latency.").labelNames("shard");
            if (mode == HistogramMode.CLASSIC) {
                peerBuilder.classicOnly();
            } else if (mode == HistogramMode.NATIVE) {
                peerBuilder.nativeOnly();
            }
            Histogram peer = peerBuilder.register(registry);
            for (int s = 0; s < histogramsPerFamily; s++) {
                for (int v = 0; v < valuesPerHistogram; v++) {
                    long nanos = LogNormalValues.nanosAt(value++);
                    timers.labels("s" + s).record(nanos);
                    peer.labelValues("s" + s).observe(nanos / 1e9);
                }
            }
        }
        for (int f = 0; f < counterFamilies; f++) {
            CounterFamily counters = peers.engine.counter("scrape_events_" + f).help("Events.").labelNames("shard").register();
            Counter peer = Counter.builder().name("scrape_events_" + f).help("Events.").labelNames("shard")
                    .register(registry);
            for (int s = 0; s < countersPerFamily; s++) {
                counters.labels("s" + s).add(s + 1);
                peer.labelValues("s" + s).inc(s + 1);
            }
        }
        this.collector = PrometheusCollector.builder(peers.engine).defaultHistogramMode(mode)
                .nativeMaxNumberOfBuckets(nativeMaxBuckets).build();
        this.storeText = StoreTextWriter.builder(collector).build();
        ExpositionFormats formats = ExpositionFormats.init();
        this.text = formats.getPrometheusTextFormatWriter();
        this.protobuf = formats.getPrometheusProtobufWriter();
        peers.engine.snapshot();
    }

    /**
     * Starts both libraries for {@link #spread}: an engine with room for {@code histogramSeries} timer and
     * {@code counterSeries} counter series (and its own), that blocks rather than drops, and without JVM metrics
     * (client_java's registry has none, and the comparison is of the same data).
     */
    public static Peers startPeers(int histogramSeries, int counterSeries) {
        return Peers.start(MetricsEngine.builder().maxSeries(histogramSeries + counterSeries + 1_000)
                .maxHistograms(histogramSeries + 100).backPressure(BackPressure.BLOCK).jvmMetrics(false));
    }

    /**
     * {@code histogramSeries} timer series in 10 families and {@code counterSeries} counter series in 90 families
     * (the scrape and push benchmarks' data), with 50 latencies per timer series, classic buckets and the default
     * native bucket limit.
     */
    public static ScrapeFixture spread(Peers peers, int histogramSeries, int counterSeries) {
        return spread(peers, histogramSeries, counterSeries, VALUES_PER_HISTOGRAM, HistogramMode.CLASSIC,
                PrometheusCollector.DEFAULT_NATIVE_MAX_NUMBER_OF_BUCKETS);
    }

    /**
     * As above, with {@code valuesPerHistogram}, {@code mode} and {@code nativeMaxBuckets} as the full constructor
     * takes them.
     */
    public static ScrapeFixture spread(Peers peers, int histogramSeries, int counterSeries, int valuesPerHistogram,
                                       HistogramMode mode, int nativeMaxBuckets) {
        return new ScrapeFixture(peers, HISTOGRAM_FAMILIES, histogramSeries / HISTOGRAM_FAMILIES, COUNTER_FAMILIES,
                counterSeries / COUNTER_FAMILIES, valuesPerHistogram, mode, nativeMaxBuckets);
    }

    /** One streammetrics scrape as the HTTP server serves text: straight from the store; returns the bytes written. */
    public int streammetricsStore(TextFormat format) throws IOException {
        out.reset();
        storeText.write(out, format);
        return out.size();
    }

    /** One streammetrics scrape through the collector and client_java's writer; returns the bytes written. */
    public int streammetrics(boolean asText) throws IOException {
        out.reset();
        (asText ? text : protobuf).write(out, collector.collect());
        return out.size();
    }

    /** One client_java scrape of the same data; returns the bytes written. */
    public int clientJava(boolean asText) throws IOException {
        out.reset();
        (asText ? text : protobuf).write(out, registry.scrape());
        return out.size();
    }
}
