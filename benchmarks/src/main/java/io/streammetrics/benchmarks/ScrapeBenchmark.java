package io.streammetrics.benchmarks;

import io.streammetrics.prometheus.HistogramMode;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * One scrape of 1,000 histogram series (classic buckets, client_java's default bounds) and 9,000 counters, rendered
 * to Prometheus text and to protobuf: streammetrics' collector against client_java rendering the same data from its
 * own registry; and streammetrics' {@link StoreTextWriter}, which renders text straight from the store (what the
 * HTTP server serves for text and OpenMetrics). {@code -p histogramSeries=10000 -p counterSeries=0} is the issue's
 * case of 10,000 histograms. Run with {@code -prof gc} for the allocation per scrape.
 *
 * <p>Native histograms: {@code -p mode=NATIVE -p valuesPerHistogram=1000} exports native buckets only (client_java's
 * histograms native-only too, at its default of 160 buckets at most), and {@code -p nativeMaxBuckets=0,160} compares
 * streammetrics without a bucket limit (as before the limit) and with the default one, in the same run. Each trial
 * prints the size of one protobuf scrape of either library ({@code [scrape bytes: ...]}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx2g"})
@State(Scope.Benchmark)
public class ScrapeBenchmark {
    /** Histogram series, in 10 families. */
    @Param("1000")
    public int histogramSeries;
    /** Counter series, in 90 families. */
    @Param("9000")
    public int counterSeries;
    /** Latencies recorded per histogram series (log-normal, 1 us to 100 ms). */
    @Param("50")
    public int valuesPerHistogram;
    /** How histograms are exported, in both libraries. */
    @Param("CLASSIC")
    public HistogramMode mode;
    /** streammetrics' native bucket limit (0: none). */
    @Param("160")
    public int nativeMaxBuckets;

    private Peers peers;
    private ScrapeFixture fixture;

    @Setup(Level.Trial)
    public void setUp() {
        peers = ScrapeFixture.startPeers(histogramSeries, counterSeries);
        fixture = ScrapeFixture.spread(peers, histogramSeries, counterSeries, valuesPerHistogram, mode,
                nativeMaxBuckets);
        try {
            System.out.printf("[scrape bytes: streammetrics protobuf %,d, client_java protobuf %,d]%n",
                    fixture.streammetrics(false), fixture.clientJava(false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        peers.close();
    }

    @Benchmark
    public int streammetricsText() throws IOException {
        return fixture.streammetrics(true);
    }

    @Benchmark
    public int streammetricsStoreText() throws IOException {
        return fixture.streammetricsStore(TextFormat.PROMETHEUS_TEXT);
    }

    @Benchmark
    public int streammetricsStoreOpenMetrics() throws IOException {
        return fixture.streammetricsStore(TextFormat.OPENMETRICS);
    }

    @Benchmark
    public int streammetricsProtobuf() throws IOException {
        return fixture.streammetrics(false);
    }

    @Benchmark
    public int clientJavaText() throws IOException {
        return fixture.clientJava(true);
    }

    @Benchmark
    public int clientJavaProtobuf() throws IOException {
        return fixture.clientJava(false);
    }
}
