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
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * One scrape of 1,000 histogram series (classic buckets, client_java's default bounds) and 9,000 counters, rendered
 * to Prometheus text and to protobuf: streammetrics' collector against client_java rendering the same data from its
 * own registry; and streammetrics' {@link StoreTextWriter}, which renders text straight from the store. Run with
 * {@code -prof gc} for the allocation per scrape.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx2g"})
@State(Scope.Benchmark)
public class ScrapeBenchmark {
    private static final int HISTOGRAM_FAMILIES = 10;
    private static final int COUNTER_FAMILIES = 90;

    /** Histogram series, in 10 families ({@code -p histogramSeries=10000 -p counterSeries=0}: the case). */
    @Param("1000")
    public int histogramSeries;
    /** Counter series, in 90 families. */
    @Param("9000")
    public int counterSeries;

    private MetricsEngine engine;
    private PrometheusCollector collector;
    private StoreTextWriter storeText;
    private PrometheusRegistry registry;
    private ExpositionFormatWriter text;
    private ExpositionFormatWriter protobuf;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(4 << 20);

    @Setup(Level.Trial)
    public void setUp() {
        engine = MetricsEngine.builder().maxSeries(histogramSeries + counterSeries + 1_000)
                .maxHistograms(histogramSeries + 100).backPressure(BackPressure.BLOCK).build().start();
        registry = new PrometheusRegistry();
        long value = 1;
        for (int f = 0; f < HISTOGRAM_FAMILIES; f++) {
            TimerFamily timers = engine.timer("scrape_latency_" + f).help("Latency.").labelNames("shard").register();
            Histogram peer = Histogram.builder().name("scrape_latency_" + f + "_seconds").help("Latency.")
                    .labelNames("shard").classicOnly().register(registry);
            for (int s = 0; s < histogramSeries / HISTOGRAM_FAMILIES; s++) {
                for (int v = 0; v < 50; v++) {
                    value = value * 6364136223846793005L + 1442695040888963407L;
                    long nanos = 1_000 + ((value >>> 20) % 2_000_000_000L);
                    timers.labels("s" + s).record(nanos);
                    peer.labelValues("s" + s).observe(nanos / 1e9);
                }
            }
        }
        for (int f = 0; f < COUNTER_FAMILIES; f++) {
            CounterFamily counters = engine.counter("scrape_events_" + f).help("Events.").labelNames("shard").register();
            Counter peer = Counter.builder().name("scrape_events_" + f).help("Events.").labelNames("shard")
                    .register(registry);
            for (int s = 0; s < counterSeries / COUNTER_FAMILIES; s++) {
                counters.labels("s" + s).add(s + 1);
                peer.labelValues("s" + s).inc(s + 1);
            }
        }
        collector = PrometheusCollector.builder(engine).defaultHistogramMode(HistogramMode.CLASSIC).build();
        storeText = StoreTextWriter.builder(collector).build();
        ExpositionFormats formats = ExpositionFormats.init();
        text = formats.getPrometheusTextFormatWriter();
        protobuf = formats.getPrometheusProtobufWriter();
        engine.snapshot();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
    }

    @Benchmark
    public int streammetricsText() throws IOException {
        out.reset();
        text.write(out, collector.collect());
        return out.size();
    }

    @Benchmark
    public int streammetricsStoreText() throws IOException {
        out.reset();
        storeText.write(out, TextFormat.PROMETHEUS_TEXT);
        return out.size();
    }

    @Benchmark
    public int streammetricsStoreOpenMetrics() throws IOException {
        out.reset();
        storeText.write(out, TextFormat.OPENMETRICS);
        return out.size();
    }

    @Benchmark
    public int streammetricsProtobuf() throws IOException {
        out.reset();
        protobuf.write(out, collector.collect());
        return out.size();
    }

    @Benchmark
    public int clientJavaText() throws IOException {
        out.reset();
        text.write(out, registry.scrape());
        return out.size();
    }

    @Benchmark
    public int clientJavaProtobuf() throws IOException {
        out.reset();
        protobuf.write(out, registry.scrape());
        return out.size();
    }
}
