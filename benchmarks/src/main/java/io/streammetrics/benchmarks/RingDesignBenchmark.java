package io.streammetrics.benchmarks;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.EventTranslatorOneArg;
import com.lmax.disruptor.RingBuffer;
import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.Histogram;
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

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The record path's design alternatives, side by side: a naive multi-producer {@code RingBuffer.publishEvent}
 * (translator, boxed argument, default blocking wait strategy), a multi-producer claim/publish without translator,
 * and streammetrics' per-thread single-producer rings, with {@code AtomicLong}, {@code LongAdder} and Prometheus
 * client_java's counter and classic histogram (cached label values) as references.
 *
 * <p>{@code work} is the CPU burnt between two records ({@link Blackhole#consumeCPU(long)} tokens). At 0 the loop
 * records as fast as it can, which no single consumer keeps up with: ring designs then measure their back-pressure
 * (here streammetrics' DROP path). At 100 the records arrive at a rate the aggregator sustains, as in a pipeline
 * that does work between records; subtract {@code baseline} to get the cost of a record.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx1g"})
@State(Scope.Benchmark)
public class RingDesignBenchmark {
    private static final EventTranslatorOneArg<Slot, Long> TRANSLATOR = (slot, sequence, value) -> slot.value = value;

    @Param({"0", "100"})
    public long work;

    @Param({"65536"})
    public int ringSize;

    @Param({"100"})
    public long batchWindowMicros;

    private MetricsEngine engine;
    private Counter counter;
    private Histogram histogram;
    private RingBuffer<Slot> multiProducer;
    private BatchEventProcessor<Slot> consumer;
    private Thread consumerThread;
    private final AtomicLong atomicLong = new AtomicLong();
    private io.prometheus.metrics.core.datapoints.CounterDataPoint prometheusCounter;
    private io.prometheus.metrics.core.datapoints.DistributionDataPoint prometheusHistogram;
    private final LongAdder longAdder = new LongAdder();

    /** A Disruptor slot like streammetrics' record event. */
    public static final class Slot {
        int seriesId;
        long value;
    }

    @Setup(Level.Trial)
    public void setUp() {
        engine = MetricsEngine.builder().ringSize(ringSize)
                .batchWindow(java.time.Duration.ofNanos(batchWindowMicros * 1000)).build().start();
        counter = engine.counter("bench_counter").register().labels();
        histogram = engine.histogram("bench_histogram").register().labels();
        io.prometheus.metrics.model.registry.PrometheusRegistry registry = new io.prometheus.metrics.model.registry.PrometheusRegistry();
        prometheusCounter = io.prometheus.metrics.core.metrics.Counter.builder().name("bench_counter").labelNames("stage")
                .register(registry).labelValues("parse");
        prometheusHistogram = io.prometheus.metrics.core.metrics.Histogram.builder().name("bench_histogram")
                .classicOnly().labelNames("stage").register(registry).labelValues("parse");
        multiProducer = RingBuffer.createMultiProducer(Slot::new, 8192, new BlockingWaitStrategy());
        EventHandler<Slot> sink = (slot, sequence, endOfBatch) -> { };
        consumer = new BatchEventProcessorBuilder().build(multiProducer, multiProducer.newBarrier(), sink);
        multiProducer.addGatingSequences(consumer.getSequence());
        consumerThread = new Thread(consumer, "mp-consumer");
        consumerThread.setDaemon(true);
        consumerThread.start();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        engine.close();
        // How much of the recording reached the store, so that a fast row made of drops is read as such.
        io.streammetrics.snapshot.MetricsSnapshot snapshot = engine.snapshot();
        System.out.println("streammetrics applied=" + value(snapshot, "streammetrics_events_applied")
                + " dropped=" + value(snapshot, "streammetrics_events_dropped"));
        consumer.halt();
        consumerThread.join();
    }

    private static double value(io.streammetrics.snapshot.MetricsSnapshot snapshot, String family) {
        double total = 0;
        for (io.streammetrics.snapshot.SeriesPoint point : snapshot.family(family).points()) {
            total += ((io.streammetrics.snapshot.CounterPoint) point).value();
        }
        return total;
    }

    /** Per-thread position in the value sequence, so histogram records vary without shared state. */
    @State(Scope.Thread)
    public static class Values {
        long next = 1;

        long next() {
            next = next * 6364136223846793005L + 1442695040888963407L;
            return (next >>> 40) & 0xFFFFF;
        }
    }

    @Benchmark
    public void baseline() {
        Blackhole.consumeCPU(work);
    }

    @Benchmark
    public void atomicLongIncrement() {
        Blackhole.consumeCPU(work);
        atomicLong.incrementAndGet();
    }

    @Benchmark
    public void longAdderIncrement() {
        Blackhole.consumeCPU(work);
        longAdder.increment();
    }

    @Benchmark
    public void disruptorMultiProducerPublishEvent() {
        Blackhole.consumeCPU(work);
        multiProducer.publishEvent(TRANSLATOR, 1L);
    }

    @Benchmark
    public void disruptorMultiProducerClaim() {
        Blackhole.consumeCPU(work);
        long sequence = multiProducer.next();
        Slot slot = multiProducer.get(sequence);
        slot.seriesId = 1;
        slot.value = 1;
        multiProducer.publish(sequence);
    }

    @Benchmark
    public void prometheusCounterIncrement() {
        Blackhole.consumeCPU(work);
        prometheusCounter.inc();
    }

    @Benchmark
    public void prometheusClassicHistogramObserve(Values values) {
        Blackhole.consumeCPU(work);
        prometheusHistogram.observe(values.next() / 1e9);
    }

    @Benchmark
    public void streammetricsCounterIncrement() {
        Blackhole.consumeCPU(work);
        counter.increment();
    }

    @Benchmark
    public void streammetricsHistogramRecord(Values values) {
        Blackhole.consumeCPU(work);
        histogram.record(values.next());
    }
}
