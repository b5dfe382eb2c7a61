package io.streammetrics.exemplar;

import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Histogram;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.MetricsSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.streammetrics.EngineTestSupport.counterLong;
import static io.streammetrics.EngineTestSupport.histogram;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, item 1: exemplars from many threads at once (dedicated rings and the shared multi-producer ring) reach
 * the store whole, and readers never see a torn one while the writer replaces them. Every exemplar's ids are derived
 * from its value, so a slot mixed from two exemplars shows.
 */
class ExemplarConcurrencyTest {
    private static final int THREADS = 4;
    private static final int RECORDS = 300_000;

    private static long traceHigh(long value) {
        return ~value;
    }

    private static long spanOf(long value) {
        return value * 31 + 7;
    }

    private static void checkWhole(Exemplar e) {
        long value = (long) e.value();
        if (e.traceIdLow() != value || e.traceIdHigh() != traceHigh(value) || e.spanId() != spanOf(value)) {
            throw new AssertionError("torn exemplar " + e);
        }
    }

    @Test
    void exemplarsFromManyThreadsArriveWholeAndReadersNeverSeeATornOne() throws Exception {
        // Two dedicated rings: the other two threads share the multi-producer ring.
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).maxProducerRings(2)
                .backPressure(io.streammetrics.BackPressure.BLOCK)
                .exemplarSampleInterval(Duration.ofMillis(1)).exemplarMinRetention(Duration.ZERO).build().start()) {
            Histogram h = engine.histogram("contended").classicUpperBounds(1_000, 10_000, 100_000).register()
                    .labels();
            CountDownLatch done = new CountDownLatch(THREADS);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> producers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                final int thread = t;
                Thread producer = new Thread(() -> {
                    try {
                        for (int i = 1; i <= RECORDS; i++) {
                            long value = (long) i * THREADS + thread;
                            h.recordWithExemplar(value, traceHigh(value), value, spanOf(value));
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        done.countDown();
                    }
                });
                producers.add(producer);
                producer.start();
            }
            AtomicBoolean stop = new AtomicBoolean();
            int[] reads = new int[1];
            Thread reader = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        for (Exemplar e : histogram(engine.snapshot(), "contended").exemplars()) {
                            checkWhole(e);
                        }
                        reads[0]++;
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            reader.start();
            assertTrue(done.await(60, TimeUnit.SECONDS), "producers finished");
            stop.set(true);
            reader.join(TimeUnit.SECONDS.toMillis(30));
            assertNull(failure.get(), () -> String.valueOf(failure.get()));

            MetricsSnapshot snapshot = engine.snapshot();
            HistogramPoint point = histogram(snapshot, "contended");
            assertEquals((long) THREADS * RECORDS, point.count(), "every value recorded");
            List<Exemplar> exemplars = point.exemplars();
            exemplars.forEach(ExemplarConcurrencyTest::checkWhole);
            assertTrue(exemplars.size() >= 4, "a classic bucket's, the newest and the largest at least: " + exemplars);
            System.out.printf("%d reads while recording; final exemplars %s; dropped %d%n", reads[0], exemplars,
                    counterLong(snapshot, "streammetrics_exemplars_dropped"));
            assertTrue(reads[0] > 0, "the reader ran");
        }
    }
}
