package io.streammetrics.benchmarks;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.streammetrics.metric.Gauge;
import io.streammetrics.metric.Timer;
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
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * A synthetic stream stage at full speed, with and without its six standard metrics: records processed, bytes in,
 * processing latency, errors, input queue size and end-to-end latency. One operation takes a CSV line
 * ({@code ageMicros,userId,amountCents,country}) from the input, parses it, transforms it (currency conversion, a
 * user hash) and emits the result into an output ring; one line in 512 is malformed and counted as an error.
 *
 * <p>{@code metrics=none} is the stage alone; the other values add the six metrics through streammetrics, Micrometer
 * (Prometheus registry, timers with a percentile histogram, gauge on an {@code AtomicLong}) or client_java (classic
 * histograms). Loss = 1 - (ops/us with metrics) / (ops/us with none), both from the same run. With metrics, each
 * operation also reads the clock twice, which the stage alone does not need: {@code clockOnly} measures that part
 * (about 60 ns a read on a VM whose clock source is kvm-clock). streammetrics prints its events offered, applied and
 * dropped at the end of the trial: at full speed its timers and gauge can outrun the aggregator.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx1g"})
@State(Scope.Thread)
public class PipelineOverheadBenchmark {
    private static final int LINES = 4096;
    private static final int MASK = LINES - 1;
    private static final String[] COUNTRIES = {"DE", "FR", "US", "JP", "BR", "IN", "GB", "ES"};
    private static final long[] RATES_PER_MILLE = {1000, 1000, 1080, 7, 190, 12, 1170, 1000};

    /** {@code none}, {@code clockOnly} (the two clock reads, no metrics), or the library recording the six metrics. */
    @Param({"none", "clockOnly", "streammetrics", "micrometer", "clientJava"})
    public String metrics;

    /**
     * Extra CPU per record in the transform step ({@link Blackhole#consumeCPU(long)} tokens): 0 is the bare stage at
     * full speed (tens of nanoseconds a record), 100 a stage with some real work.
     */
    @Param({"0", "100"})
    public long work;

    private final byte[][] lines = new byte[LINES][];
    private final long[] output = new long[1024];
    private int next;
    private Peers peers;
    private StageMetrics stageMetrics;

    /** The six metrics of a stage, updated once per record. */
    interface StageMetrics {
        void processed(int bytes, long latencyNanos, long endToEndNanos, int queueSize);

        void error();
    }

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < LINES; i++) {
            String line = random.nextInt(512) == 0
                    ? "garbage,line"
                    : (1 + random.nextInt(5_000_000)) + "," + random.nextInt(1_000_000) + ","
                    + random.nextInt(100_000) + "," + COUNTRIES[random.nextInt(COUNTRIES.length)];
            lines[i] = line.getBytes(StandardCharsets.US_ASCII);
        }
        if (metrics.equals("clockOnly")) {
            stageMetrics = new StageMetrics() {
                @Override
                public void processed(int bytes, long latencyNanos, long endToEndNanos, int queueSize) {
                }

                @Override
                public void error() {
                }
            };
        } else if (!metrics.equals("none")) {
            peers = Peers.start();
            stageMetrics = switch (metrics) {
                case "streammetrics" -> streammetrics(peers);
                case "micrometer" -> micrometer(peers);
                case "clientJava" -> clientJava(peers);
                default -> throw new IllegalArgumentException("metrics=" + metrics);
            };
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (peers != null) {
            if (metrics.equals("streammetrics")) {
                System.out.println(peers.eventTotals().since(Peers.EventTotals.NONE));
            }
            peers.close();
        }
    }

    @Benchmark
    public long stage() {
        int index = next++;
        byte[] line = lines[index & MASK];
        if (stageMetrics == null) {
            return process(line);
        }
        long start = System.nanoTime();
        long result = process(line);
        long end = System.nanoTime();
        if (result < 0) {
            stageMetrics.error();
        } else {
            // The line's first field is how long the record waited upstream.
            stageMetrics.processed(line.length, end - start, ageMicros(line) * 1000 + (end - start), index & 1023);
        }
        return result;
    }

    /** Parse, transform, emit; returns the emitted value, or -1 for a malformed line. */
    private long process(byte[] line) {
        int at = 0;
        long age = 0;
        long user = 0;
        long amount = 0;
        int field = 0;
        for (; at < line.length && field < 3; at++) {
            byte b = line[at];
            if (b == ',') {
                field++;
            } else if (b >= '0' && b <= '9') {
                long digit = b - '0';
                if (field == 0) {
                    age = age * 10 + digit;
                } else if (field == 1) {
                    user = user * 10 + digit;
                } else {
                    amount = amount * 10 + digit;
                }
            } else {
                return -1;
            }
        }
        if (field < 3 || line.length - at != 2) {
            return -1;
        }
        int country = countryIndex(line[at], line[at + 1]);
        Blackhole.consumeCPU(work);
        long converted = amount * RATES_PER_MILLE[country] / 1000;
        long userHash = user * 0x9E3779B97F4A7C15L;
        long emitted = (userHash ^ converted) + age;
        output[(int) (user & (output.length - 1))] = emitted;
        return emitted & Long.MAX_VALUE;
    }

    private static int countryIndex(byte first, byte second) {
        for (int i = 0; i < COUNTRIES.length; i++) {
            if (COUNTRIES[i].charAt(0) == first && COUNTRIES[i].charAt(1) == second) {
                return i;
            }
        }
        return 0;
    }

    private static long ageMicros(byte[] line) {
        long age = 0;
        for (byte b : line) {
            if (b == ',') {
                break;
            }
            age = age * 10 + (b - '0');
        }
        return age;
    }

    /** The six metrics from one update function each: the same call shape for every library. */
    private static StageMetrics of(Runnable processed, LongConsumer bytes, LongConsumer latency, Runnable errors,
                                   LongConsumer queue, LongConsumer endToEnd) {
        return new StageMetrics() {
            @Override
            public void processed(int size, long latencyNanos, long endToEndNanos, int queueSize) {
                processed.run();
                bytes.accept(size);
                latency.accept(latencyNanos);
                queue.accept(queueSize);
                endToEnd.accept(endToEndNanos);
            }

            @Override
            public void error() {
                errors.run();
            }
        };
    }

    private static StageMetrics streammetrics(Peers peers) {
        Timer latency = peers.streammetricsTimer("stage_processing_latency");
        Gauge queue = peers.streammetricsGauge("stage_queue_size");
        return of(peers.streammetricsCounter("stage_records_processed")::increment,
                peers.streammetricsCounter("stage_bytes_in")::add,
                latency::record,
                peers.streammetricsCounter("stage_errors")::increment,
                queue::set,
                peers.streammetricsTimer("stage_end_to_end_latency")::record);
    }

    private static StageMetrics micrometer(Peers peers) {
        io.micrometer.core.instrument.Timer latency = peers.micrometerTimer("stage_processing_latency", false);
        io.micrometer.core.instrument.Counter bytes = peers.micrometerCounter("stage_bytes_in");
        io.micrometer.core.instrument.Timer endToEnd = peers.micrometerTimer("stage_end_to_end_latency", false);
        return of(peers.micrometerCounter("stage_records_processed")::increment,
                bytes::increment,
                nanos -> latency.record(nanos, TimeUnit.NANOSECONDS),
                peers.micrometerCounter("stage_errors")::increment,
                peers.micrometerGauge("stage_queue_size")::set,
                nanos -> endToEnd.record(nanos, TimeUnit.NANOSECONDS));
    }

    private static StageMetrics clientJava(Peers peers) {
        DistributionDataPoint latency = peers.clientJavaClassicHistogram("stage_processing_latency_seconds");
        DistributionDataPoint endToEnd = peers.clientJavaClassicHistogram("stage_end_to_end_latency_seconds");
        return of(peers.clientJavaCounter("stage_records_processed")::inc,
                peers.clientJavaCounter("stage_bytes_in")::inc,
                nanos -> latency.observe(nanos / 1e9),
                peers.clientJavaCounter("stage_errors")::inc,
                peers.clientJavaGauge("stage_queue_size")::set,
                nanos -> endToEnd.observe(nanos / 1e9));
    }
}
