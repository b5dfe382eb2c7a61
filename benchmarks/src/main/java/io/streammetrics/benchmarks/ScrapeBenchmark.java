package io.streammetrics.benchmarks;

import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * One scrape of 1,000 histogram series (classic buckets, client_java's default bounds) and 9,000 counters, rendered
 * to Prometheus text and to protobuf: streammetrics' collector against client_java rendering the same data from its
 * own registry. Run with {@code -prof gc} for the allocation per scrape.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx2g"})
@State(Scope.Benchmark)
public class ScrapeBenchmark {
    private Peers peers;
    private ScrapeFixture fixture;

    @Setup(Level.Trial)
    public void setUp() {
        // No JVM metrics: the peer's registry has none, and the comparison is of the same data.
        peers = Peers.start(MetricsEngine.builder().maxSeries(12_000).maxHistograms(1_100)
                .backPressure(BackPressure.BLOCK).jvmMetrics(false));
        fixture = new ScrapeFixture(peers, 10, 90, 100);
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
