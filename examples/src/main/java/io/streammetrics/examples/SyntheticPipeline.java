package io.streammetrics.examples;

import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Counter;
import io.streammetrics.stream.StreamMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A synthetic stream pipeline, source → parse → enrich → sink, one thread per stage and a bounded queue between
 * stages, each stage instrumented with {@link StreamMetrics} (pipeline {@code orders}). The source holds a steady
 * rate; while the {@link TroubleSchedule} says so, the parse stage rejects one record in ten (normally one in a
 * thousand) and one enrich lookup in twenty is slow.
 *
 * <p>The slow lookups are simulated: the enrich stage records 150-400 ms of processing time for them without
 * waiting that long, so that the spike shows in the latency quantiles while the pipeline keeps its rate (a real wait
 * of that length on one thread would stop the stream, and the quick-start would show a throughput alert instead).
 */
final class SyntheticPipeline {
    static final String PIPELINE = "orders";
    private static final int QUEUE_CAPACITY = 10_000;
    private static final int SOURCE_BATCH = 100;

    private final int rate;
    private final TroubleSchedule trouble;
    private final long startNanos = System.nanoTime();
    private final StreamMetrics source;
    private final StreamMetrics parse;
    private final StreamMetrics enrich;
    private final StreamMetrics sink;
    private final Counter malformed;
    private final BlockingQueue<SyntheticRecord> parseQueue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final BlockingQueue<SyntheticRecord> enrichQueue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final BlockingQueue<SyntheticRecord> sinkQueue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    /** A record in flight: when it happened, how big it is, and when it entered its current queue. */
    private static final class SyntheticRecord {
        final long eventMillis;
        final int sizeBytes;
        /** A synthetic W3C trace id (16 random bytes as two longs): the stages record it as their exemplars'. */
        final long traceHigh;
        final long traceLow;
        long enqueuedNanos;

        SyntheticRecord(long eventMillis, int sizeBytes, ThreadLocalRandom random) {
            this.eventMillis = eventMillis;
            this.sizeBytes = sizeBytes;
            this.traceHigh = random.nextLong();
            this.traceLow = random.nextLong() | 1;
        }

        /** A span id per stage of the record's trace. */
        long spanId(int stage) {
            return (traceLow * 31 + stage) | 1;
        }
    }

    SyntheticPipeline(MetricsEngine engine, int rate, TroubleSchedule trouble) {
        this.rate = rate;
        this.trouble = trouble;
        this.source = stage(engine, "source");
        this.parse = stage(engine, "parse");
        this.enrich = stage(engine, "enrich");
        this.sink = stage(engine, "sink");
        this.malformed = parse.errorType("malformed");
        parse.queueSizeCallback(parseQueue::size);
        enrich.queueSizeCallback(enrichQueue::size);
        sink.queueSizeCallback(sinkQueue::size);
    }

    private static StreamMetrics stage(MetricsEngine engine, String name) {
        return StreamMetrics.builder(engine).pipeline(PIPELINE).stage(name).build();
    }

    /** Starts the stage threads. */
    void start() {
        thread("source", this::runSource);
        thread("parse", () -> runStage(parseQueue, this::parse));
        thread("enrich", () -> runStage(enrichQueue, this::enrich));
        thread("sink", () -> runStage(sinkQueue, this::sink));
    }

    private void thread(String name, Runnable body) {
        Thread thread = new Thread(body, "quickstart-" + name);
        // Daemon: a stage stuck in a queue must not keep the JVM from exiting after Ctrl-C.
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    /** Whether the trouble is on now. */
    boolean troubleNow() {
        return trouble.activeAt(System.nanoTime() - startNanos);
    }

    /** Stops every stage and waits for the threads (records still queued are dropped). */
    void stop() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.interrupt();
        }
        for (Thread thread : threads) {
            thread.join(5_000);
        }
    }

    private void runSource() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long emitted = 0;
        try {
            while (running) {
                for (int i = 0; i < SOURCE_BATCH; i++) {
                    long start = source.startProcessing();
                    SyntheticRecord record = new SyntheticRecord(System.currentTimeMillis(), 200 + random.nextInt(800),
                            random);
                    source.recordProcessed(record.sizeBytes);
                    source.recordProcessingSinceWithExemplar(start, record.traceHigh, record.traceLow,
                            record.spanId(0));
                    forward(record, parseQueue);
                }
                emitted += SOURCE_BATCH;
                // Hold the rate instead of burning a core: sleep until this batch is due.
                long ahead = startNanos + emitted * 1_000_000_000L / rate - System.nanoTime();
                if (ahead > 0) {
                    LockSupport.parkNanos(ahead);
                }
            }
        } catch (InterruptedException e) {
            // stop() interrupts a put on a full queue: the pipeline is shutting down.
        }
    }

    /** A stage's loop: takes a record, times it, hands it on. */
    private void runStage(BlockingQueue<SyntheticRecord> input, StageStep step) {
        try {
            while (running) {
                SyntheticRecord record = input.poll(100, TimeUnit.MILLISECONDS);
                if (record != null) {
                    step.process(record, System.nanoTime() - record.enqueuedNanos);
                }
            }
        } catch (InterruptedException e) {
            // stop(): done.
        }
    }

    /** What one stage does with one record, given how long it waited in the stage's queue. */
    @FunctionalInterface
    private interface StageStep {
        void process(SyntheticRecord record, long waitedNanos) throws InterruptedException;
    }

    private void parse(SyntheticRecord record, long waitedNanos) throws InterruptedException {
        parse.recordQueueWaitNanos(waitedNanos);
        long start = parse.startProcessing();
        busyWork(200);
        // Every record counts as processed, failed ones too: the error ratio is errors / records.
        parse.recordProcessed(record.sizeBytes);
        boolean fails = ThreadLocalRandom.current().nextInt(troubleNow() ? 10 : 1000) == 0;
        if (fails) {
            malformed.increment();
        }
        parse.recordProcessingSinceWithExemplar(start, record.traceHigh, record.traceLow, record.spanId(1));
        if (!fails) {
            forward(record, enrichQueue);
        }
    }

    private void enrich(SyntheticRecord record, long waitedNanos) throws InterruptedException {
        enrich.recordQueueWaitNanos(waitedNanos);
        long start = enrich.startProcessing();
        busyWork(300);
        enrich.recordProcessed(record.sizeBytes);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (troubleNow() && random.nextInt(20) == 0) {
            // A slow lookup, simulated (see the class comment): its time is recorded, not waited.
            enrich.recordRetry();
            enrich.recordProcessingNanosWithExemplar(System.nanoTime() - start + 150_000_000L
                    + random.nextLong(250_000_000L), record.traceHigh, record.traceLow, record.spanId(2));
        } else {
            enrich.recordProcessingSinceWithExemplar(start, record.traceHigh, record.traceLow, record.spanId(2));
        }
        forward(record, sinkQueue);
    }

    private void sink(SyntheticRecord record, long waitedNanos) {
        sink.recordQueueWaitNanos(waitedNanos);
        long start = sink.startProcessing();
        busyWork(100);
        sink.recordProcessed(record.sizeBytes);
        sink.recordProcessingSinceWithExemplar(start, record.traceHigh, record.traceLow, record.spanId(3));
        sink.recordEndToEndFromEpochMillis(record.eventMillis);
    }

    private static void forward(SyntheticRecord record, BlockingQueue<SyntheticRecord> next) throws InterruptedException {
        record.enqueuedNanos = System.nanoTime();
        next.put(record);
    }

    /** Stands in for a stage's real work. */
    private static void busyWork(int iterations) {
        long x = 0;
        for (int i = 0; i < iterations; i++) {
            x += i * 31L;
        }
        if (x == 42) {
            Thread.onSpinWait();    // never true; keeps the loop from being optimised away
        }
    }
}
