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
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.time.Duration;

/**
 * The record path's design alternatives, side by side: a naive multi-producer {@code RingBuffer.publishEvent}
 * (translator, boxed argument, default blocking wait strategy), a multi-producer claim/publish without translator,
 * and streammetrics' per-thread single-producer rings and counter cells. The peers' rows ({@code AtomicLong},
 * {@code LongAdder}, client_java and the others) are in {@link CounterRecordBenchmark} and
 * {@link LatencyRecordBenchmark}; this class keeps the {@code work} parameter the design question needs.
 *
 * <p>{@code work} is the CPU burnt between two records ({@link Blackhole#consumeCPU(long)} tokens). At 0 the loop
 * records as fast as it can, which no single consumer keeps up with: ring designs then measure their back-pressure
 * (here streammetrics' DROP path). At 100 the records arrive at a rate the aggregator sustains, as in a pipeline
 * that does work between records; subtract {@code baseline} to get the cost of a record. The streammetrics events
 * line after each iteration tells how many histogram records were dropped.
 */
public class RingDesignBenchmark extends RecordCostBenchmark {
    private static final EventTranslatorOneArg<Slot, Long> TRANSLATOR = (slot, sequence, value) -> slot.value = value;

    @Param({"0", "100"})
    public long work;

    @Param({"65536"})
    public int ringSize;

    @Param({"100"})
    public long batchWindowMicros;

    private Counter counter;
    private Histogram histogram;
    private RingBuffer<Slot> multiProducer;
    private BatchEventProcessor<Slot> consumer;
    private Thread consumerThread;

    /** A Disruptor slot like streammetrics' record event. */
    public static final class Slot {
        int seriesId;
        long value;
    }

    @Override
    protected MetricsEngine.Builder engineSettings() {
        return MetricsEngine.builder().ringSize(ringSize).batchWindow(Duration.ofNanos(batchWindowMicros * 1000));
    }

    @Override
    protected void resolve(Peers peers) {
        counter = peers.streammetricsCounter("bench_counter");
        histogram = peers.streammetricsHistogram("bench_histogram");
        multiProducer = RingBuffer.createMultiProducer(Slot::new, 8192, new BlockingWaitStrategy());
        EventHandler<Slot> sink = (slot, sequence, endOfBatch) -> { };
        consumer = new BatchEventProcessorBuilder().build(multiProducer, multiProducer.newBarrier(), sink);
        multiProducer.addGatingSequences(consumer.getSequence());
        consumerThread = new Thread(consumer, "mp-consumer");
        consumerThread.setDaemon(true);
        consumerThread.start();
    }

    @TearDown(Level.Trial)
    public void stopConsumer() throws InterruptedException {
        consumer.halt();
        consumerThread.join();
    }

    @Benchmark
    public void baseline() {
        Blackhole.consumeCPU(work);
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
    public void streammetricsCounterIncrement() {
        Blackhole.consumeCPU(work);
        counter.increment();
    }

    @Benchmark
    public void streammetricsHistogramRecord(LogNormalValues values) {
        Blackhole.consumeCPU(work);
        histogram.record(values.nextNanos());
    }
}
