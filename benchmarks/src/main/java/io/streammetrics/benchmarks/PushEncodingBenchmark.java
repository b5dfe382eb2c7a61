package io.streammetrics.benchmarks;

import io.opentelemetry.exporter.internal.otlp.metrics.LowAllocationMetricsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import io.streammetrics.influx.InfluxExporter;
import io.streammetrics.otlp.EngineMetricProducer;
import io.streammetrics.push.PushEncoder;
import io.streammetrics.remotewrite.RemoteWriteExporter;
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
import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * Encoding one push of 1,000 histograms (timers, 12 classic buckets: client_java's 11 default bounds and +Inf) and
 * 9,000 counters, the series of {@link ScrapeFixture}: to a snappy-compressed remote-write request and to line
 * protocol (plain and gzip), each read straight from the store; against the OpenTelemetry SDK's OTLP marshalling
 * of the same series, as {@code MetricData} from streammetrics' {@link EngineMetricProducer}: the SDK's default
 * marshaler and its low-allocation one (reusable-data memory mode), on pre-collected data and with the collection.
 * Run with {@code -prof gc} for the allocation per push.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx2g"})
@State(Scope.Benchmark)
public class PushEncodingBenchmark {
    /** Histogram series, in 10 families. */
    @Param("1000")
    public int histogramSeries;
    /** Counter series, in 90 families. */
    @Param("9000")
    public int counterSeries;

    private Peers peers;
    private PushEncoder remoteWrite;
    private PushEncoder lineProtocol;
    private PushEncoder lineProtocolGzip;
    private EngineMetricProducer producer;
    private Collection<MetricData> collected;
    private final LowAllocationMetricsRequestMarshaler lowAllocation = new LowAllocationMetricsRequestMarshaler();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(4 << 20);

    @Setup(Level.Trial)
    public void setUp() {
        peers = ScrapeFixture.startPeers(histogramSeries, counterSeries);
        ScrapeFixture.spread(peers, histogramSeries, counterSeries);
        remoteWrite = RemoteWriteExporter.builder(peers.engine).externalLabel("job", "bench").encoder();
        lineProtocol = InfluxExporter.builder(peers.engine).externalLabel("job", "bench").encoder();
        lineProtocolGzip = InfluxExporter.builder(peers.engine).externalLabel("job", "bench").gzip(true).encoder();
        producer = EngineMetricProducer.create(peers.engine);
        collected = producer.produce(Resource.getDefault());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        peers.close();
    }

    /** Bytes of one snappy-compressed remote-write request. */
    @Benchmark
    public int remoteWrite() {
        return remoteWrite.encode().length();
    }

    @Benchmark
    public int lineProtocol() {
        return lineProtocol.encode().length();
    }

    @Benchmark
    public int lineProtocolGzip() {
        return lineProtocolGzip.encode().length();
    }

    /** The SDK's default OTLP marshaler (immutable-data memory mode) on pre-collected {@code MetricData}. */
    @Benchmark
    public int otlpMarshal() throws IOException {
        out.reset();
        MetricsRequestMarshaler.create(collected).writeBinaryTo(out);
        return out.size();
    }

    /** The SDK's low-allocation OTLP marshaler (reusable-data memory mode) on pre-collected {@code MetricData}. */
    @Benchmark
    public int otlpMarshalLowAllocation() throws IOException {
        out.reset();
        lowAllocation.initialize(collected);
        try {
            lowAllocation.writeBinaryTo(out);
        } finally {
            lowAllocation.reset();
        }
        return out.size();
    }

    /** The whole OTLP push encoding from the engine: collect through the producer, then the default marshaler. */
    @Benchmark
    public int otlpCollectAndMarshal() throws IOException {
        out.reset();
        MetricsRequestMarshaler.create(producer.produce(Resource.getDefault())).writeBinaryTo(out);
        return out.size();
    }
}
