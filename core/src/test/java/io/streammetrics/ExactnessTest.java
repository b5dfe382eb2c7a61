package io.streammetrics;

import io.streammetrics.metric.Counter;
import io.streammetrics.metric.CounterFamily;
import io.streammetrics.metric.Histogram;
import io.streammetrics.metric.HistogramFamily;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.MetricsSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.streammetrics.EngineTestSupport.assertBucketsAddUp;
import static io.streammetrics.EngineTestSupport.awaitSnapshot;
import static io.streammetrics.EngineTestSupport.counterLong;
import static io.streammetrics.EngineTestSupport.dropped;
import static io.streammetrics.EngineTestSupport.gauge;
import static io.streammetrics.EngineTestSupport.histogram;
import static io.streammetrics.EngineTestSupport.runProducers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No record is lost or double-counted: under BLOCK every record from every producer thread is applied exactly once;
 * under DROP every record is either applied or counted as dropped.
 */
class ExactnessTest {
    private static final int RECORDS = 1_000_000;

    /** A deterministic, varying histogram value for record {@code i} of thread {@code t}. */
    private static long value(int t, int i) {
        return 1 + ((i * 7919L + t * 104_729L) % 100_000);
    }

    @ParameterizedTest(name = "{0} threads, histogram cells {1}")
    @CsvSource({"2, true", "4, true", "2, false", "4, false"})
    void blockSharedHandlesAreExact(int threads, boolean cells) throws Exception {
        MetricsEngine.Builder builder = MetricsEngine.builder().backPressure(BackPressure.BLOCK);
        if (!cells) {
            builder.histogramCellMemory(0);
        }
        try (MetricsEngine engine = builder.build().start()) {
            Counter counter = engine.counter("exact_ops_total").register().labels();
            Histogram histogram = engine.histogram("exact_values").register().labels();
            AtomicLong expectedSum = new AtomicLong();

            runProducers(threads, t -> {
                long sum = 0;
                for (int i = 0; i < RECORDS; i++) {
                    long v = value(t, i);
                    counter.increment();
                    histogram.record(v);
                    sum += v;
                }
                expectedSum.addAndGet(sum);
            });
            engine.close();

            MetricsSnapshot snapshot = engine.snapshot();
            long expected = (long) threads * RECORDS;
            assertEquals(expected, counterLong(snapshot, "exact_ops"));
            HistogramPoint point = histogram(snapshot, "exact_values");
            assertEquals(expected, point.count());
            assertEquals(expectedSum.get(), point.sum());
            assertEquals(1, point.min());
            assertEquals(100_000, point.max());
            assertBucketsAddUp(point);
            assertEquals(0, dropped(snapshot, "ring_full"));
            assertEquals(0, dropped(snapshot, "closed"));
            // Every published event was applied (nothing rejected, nothing left in a ring). Integer counter
            // increments go to the threads' counter cells; histogram records to their histogram cells when on, once
            // the loop has shown itself hot (until then, and always with cells off, they are events).
            long published = counterLong(snapshot, "streammetrics_events_published");
            assertEquals(published, counterLong(snapshot, "streammetrics_events_applied"));
            if (cells) {
                assertTrue(published < expected / 2, "a tight loop records into cells: " + published + " events");
            } else {
                assertEquals(expected, published);
            }
        }
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {2, 4})
    void blockPerThreadLabelledSeriesAreExact(int threads) throws Exception {
        try (MetricsEngine engine = MetricsEngine.builder().backPressure(BackPressure.BLOCK).build().start()) {
            CounterFamily counters = engine.counter("exact_thread_ops_total").labelNames("thread").register();
            HistogramFamily histograms = engine.histogram("exact_thread_values").labelNames("thread").register();
            long[] expectedSums = new long[threads];

            runProducers(threads, t -> {
                Counter counter = counters.labels("t" + t);
                Histogram histogram = histograms.labels("t" + t);
                long sum = 0;
                for (int i = 0; i < RECORDS; i++) {
                    long v = value(t, i);
                    counter.increment();
                    histogram.record(v);
                    sum += v;
                }
                expectedSums[t] = sum;
            });
            engine.close();

            MetricsSnapshot snapshot = engine.snapshot();
            for (int t = 0; t < threads; t++) {
                assertEquals(RECORDS, counterLong(snapshot, "exact_thread_ops", "t" + t), "counter of thread " + t);
                HistogramPoint point = histogram(snapshot, "exact_thread_values", "t" + t);
                assertEquals(RECORDS, point.count(), "histogram count of thread " + t);
                assertEquals(expectedSums[t], point.sum(), "histogram sum of thread " + t);
                assertBucketsAddUp(point);
            }
            assertEquals(threads, snapshot.family("exact_thread_ops").points().size());
            assertEquals(0, dropped(snapshot, "ring_full"));
        }
    }

    @Test
    void dropOnSmallRingAppliesOrCountsEveryRecord() throws Exception {
        int threads = 2;
        // Histogram cells off: every record is a ring event, so the 64-slot rings overflow.
        try (MetricsEngine engine = MetricsEngine.builder().ringSize(64).backPressure(BackPressure.DROP)
                .histogramCellMemory(0).build().start()) {
            Histogram histogram = engine.histogram("drop_values").register().labels();

            runProducers(threads, t -> {
                for (int i = 0; i < RECORDS; i++) {
                    histogram.record(i & 1023);
                }
            });
            engine.close();

            MetricsSnapshot snapshot = engine.snapshot();
            long applied = histogram(snapshot, "drop_values").count();
            long dropped = dropped(snapshot, "ring_full");
            System.out.printf("DROP, ring 64, %d threads: applied %d, dropped %d%n", threads, applied, dropped);
            assertEquals((long) threads * RECORDS, applied + dropped);
            assertTrue(dropped > 0, "a 64-slot ring under two full-speed producers must drop");
            assertTrue(applied > 0, "some records must get through");
            assertEquals(0, dropped(snapshot, "closed"));
            assertEquals(applied, counterLong(snapshot, "streammetrics_events_published"));
        }
    }

    @Test
    void counterIncrementsOnDedicatedRingsAreExactEvenUnderDropWithATinyRing() throws Exception {
        int threads = 2;
        try (MetricsEngine engine = MetricsEngine.builder().ringSize(64).backPressure(BackPressure.DROP)
                .histogramCellMemory(0).build().start()) {
            Counter counter = engine.counter("cell_ops_total").register().labels();
            Histogram histogram = engine.histogram("cell_values").register().labels();

            runProducers(threads, t -> {
                for (int i = 0; i < RECORDS; i++) {
                    counter.increment();
                    histogram.record(i & 1023);
                }
            });
            engine.close();

            MetricsSnapshot snapshot = engine.snapshot();
            // The histogram's events overflow the 64-slot rings; the counter cells lose nothing.
            assertTrue(dropped(snapshot, "ring_full") > 0, "the histogram events must have overflowed the rings");
            assertEquals((long) threads * RECORDS, counterLong(snapshot, "cell_ops"));
        }
    }

    @Test
    void histogramCellsLoseNothingUnderDropWithATinyRing() throws Exception {
        int threads = 2;
        try (MetricsEngine engine = MetricsEngine.builder().ringSize(64).backPressure(BackPressure.DROP).build().start()) {
            Histogram histogram = engine.histogram("cell_hist_values").register().labels();
            AtomicLong expectedSum = new AtomicLong();

            runProducers(threads, t -> {
                long sum = 0;
                for (int i = 0; i < RECORDS; i++) {
                    long v = value(t, i);
                    histogram.record(v);
                    sum += v;
                }
                expectedSum.addAndGet(sum);
            });
            engine.close();

            MetricsSnapshot snapshot = engine.snapshot();
            HistogramPoint point = histogram(snapshot, "cell_hist_values");
            assertEquals((long) threads * RECORDS, point.count());
            assertEquals(expectedSum.get(), point.sum());
            assertBucketsAddUp(point);
            assertEquals(0, dropped(snapshot, "ring_full"), "cells never need a ring slot");
        }
    }

    @Test
    void histogramsBeyondTheCellBudgetTravelAsEventsAndStayExact() throws Exception {
        // Cells hold the buckets their values reached (about 12 KB for these values): room for one and a half, so
        // the four thread-histogram pairs cannot all keep theirs, and what does not fit records through the rings.
        long oneCell = 18_000;
        try (MetricsEngine engine = MetricsEngine.builder().backPressure(BackPressure.BLOCK)
                .histogramCellMemory(oneCell).build().start()) {
            HistogramFamily family = engine.histogram("budget_values").labelNames("h").register();
            Histogram first = family.labels("first");
            Histogram second = family.labels("second");
            runProducers(2, t -> {
                for (int i = 0; i < RECORDS; i++) {
                    first.record(value(t, i));
                    second.record(value(t, i));
                }
            });
            engine.close();

            MetricsSnapshot snapshot = engine.snapshot();
            long expected = 2L * RECORDS;
            assertEquals(expected, histogram(snapshot, "budget_values", "first").count());
            assertEquals(expected, histogram(snapshot, "budget_values", "second").count());
            long published = counterLong(snapshot, "streammetrics_events_published");
            assertTrue(published > RECORDS, "records beyond the budget travel as events: " + published);
            assertEquals(published, counterLong(snapshot, "streammetrics_events_applied"));
        }
    }

    @Test
    void sharedMultiProducerRingUnderBlockIsExact() throws Exception {
        int threads = 3;
        try (MetricsEngine engine = MetricsEngine.builder().maxProducerRings(1).backPressure(BackPressure.BLOCK)
                .build().start()) {
            Counter claim = engine.counter("shared_claim_total").register().labels();
            claim.increment(); // the test thread takes the only dedicated ring
            Counter counter = engine.counter("shared_ops_total").register().labels();
            Histogram histogram = engine.histogram("shared_values").register().labels();
            AtomicLong expectedSum = new AtomicLong();
            CountDownLatch recorded = new CountDownLatch(threads);
            CountDownLatch release = new CountDownLatch(1);

            runProducersAsync(threads, t -> {
                long sum = 0;
                for (int i = 0; i < RECORDS; i++) {
                    long v = value(t, i);
                    counter.increment();
                    histogram.record(v);
                    sum += v;
                }
                expectedSum.addAndGet(sum);
                recorded.countDown();
                // Stay alive until the ring count is checked, so that a dedicated ring would still be counted.
                release.await(EngineTestSupport.PRODUCER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }, recorded, release, engine);
            engine.close();

            MetricsSnapshot snapshot = engine.snapshot();
            long expected = (long) threads * RECORDS;
            assertEquals(1, counterLong(snapshot, "shared_claim"));
            assertEquals(expected, counterLong(snapshot, "shared_ops"));
            HistogramPoint point = histogram(snapshot, "shared_values");
            assertEquals(expected, point.count());
            assertEquals(expectedSum.get(), point.sum());
            assertBucketsAddUp(point);
            assertEquals(0, dropped(snapshot, "ring_full"));
        }
    }

    /**
     * Threads beyond {@code maxProducerRings} share one multi-producer ring: under DROP a full ring drops their
     * histogram records (which have no cells there) and counts each, while their counter increments, which go to the
     * shared counter cells, are never dropped.
     */
    @Test
    void sharedMultiProducerRingUnderDropAppliesOrCountsEveryRecord() throws Exception {
        int threads = 3;
        try (MetricsEngine engine = MetricsEngine.builder().maxProducerRings(1).ringSize(64)
                .backPressure(BackPressure.DROP).build().start()) {
            Counter claim = engine.counter("shared_drop_claim_total").register().labels();
            claim.increment(); // the test thread takes the only dedicated ring
            Counter counter = engine.counter("shared_drop_ops_total").register().labels();
            Histogram histogram = engine.histogram("shared_drop_values").register().labels();

            runProducers(threads, t -> {
                for (int i = 0; i < RECORDS; i++) {
                    counter.increment();
                    histogram.record(1 + (i & 1023));
                }
            });
            engine.close();

            MetricsSnapshot snapshot = engine.snapshot();
            long applied = histogram(snapshot, "shared_drop_values").count();
            long dropped = dropped(snapshot, "ring_full");
            System.out.printf("DROP, shared ring 64, %d threads: histogram records applied %d, dropped %d%n", threads,
                    applied, dropped);
            assertEquals(1, counterLong(snapshot, "shared_drop_claim"));
            assertEquals((long) threads * RECORDS, counterLong(snapshot, "shared_drop_ops"), "counters never drop");
            assertEquals((long) threads * RECORDS, applied + dropped);
            assertTrue(dropped > 0, "a 64-slot shared ring under three full-speed producers must drop");
            assertTrue(applied > 0, "some records must get through");
        }
    }

    /**
     * Runs producers that signal {@code recorded} when done and then wait for {@code release}; meanwhile checks that
     * the engine never gave them a dedicated ring beyond the limit of one, then releases them and joins.
     */
    private static void runProducersAsync(int threads, EngineTestSupport.Producer producer, CountDownLatch recorded,
                                          CountDownLatch release, MetricsEngine engine) throws Exception {
        Thread runner = new Thread(() -> {
            try {
                runProducers(threads, producer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-producer-runner");
        runner.setDaemon(true);
        AtomicLong failure = new AtomicLong();
        runner.setUncaughtExceptionHandler((t, e) -> failure.incrementAndGet());
        runner.start();
        try {
            assertTrue(recorded.await(EngineTestSupport.PRODUCER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
                    "producers did not finish recording in time");
            MetricsSnapshot snapshot = awaitSnapshot(engine, "the aggregator to catch up",
                    s -> gauge(s, "streammetrics_aggregator_lag_events").value() == 0
                            && counterLong(s, "streammetrics_events_applied")
                            == counterLong(s, "streammetrics_events_published"));
            assertEquals(1.0, gauge(snapshot, "streammetrics_ring_producers").value(),
                    "only one thread may hold a dedicated ring with maxProducerRings(1)");
        } finally {
            release.countDown();
            runner.join(EngineTestSupport.PRODUCER_TIMEOUT.toMillis());
        }
        assertTrue(!runner.isAlive(), "producers did not end");
        assertEquals(0, failure.get(), "a producer failed");
    }
}
