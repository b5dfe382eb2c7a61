package io.streammetrics.snapshot;

import io.streammetrics.MetricsEngine;
import io.streammetrics.common.ClassicBuckets;
import io.streammetrics.common.HistogramLayout;
import io.streammetrics.internal.store.ClassicReading;
import io.streammetrics.internal.store.HistogramReading;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.Histogram;
import io.streammetrics.metric.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.streammetrics.EngineTestSupport.assertBucketsAddUp;
import static io.streammetrics.EngineTestSupport.awaitSnapshot;
import static io.streammetrics.EngineTestSupport.counterLong;
import static io.streammetrics.EngineTestSupport.histogram;
import static io.streammetrics.EngineTestSupport.runProducers;
import static io.streammetrics.EngineTestSupport.visitFamily;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshots taken while the aggregator applies records at full speed see every histogram at one instant: count, sum,
 * min, max, buckets and classic buckets agree with each other, and nothing goes backwards between snapshots.
 */
class SnapshotConsistencyTest {
    private static final int SNAPSHOTS = 1_000;
    private static final long V = 12_345;
    private static final long VARYING_MAX = 5_000_000;

    @ParameterizedTest(name = "histogram cells {0}")
    @ValueSource(booleans = {true, false})
    void snapshotsDuringFullSpeedRecordingAreConsistent(boolean cells) throws Exception {
        MetricsEngine.Builder builder = MetricsEngine.builder();
        if (!cells) {
            builder.histogramCellMemory(0);
        }
        try (MetricsEngine engine = builder.build().start()) {
            Histogram constant = engine.histogram("consistency_constant").register().labels();
            Histogram varying = engine.histogram("consistency_varying").register().labels();
            Counter counter = engine.counter("consistency_events_total").register().labels();
            HistogramLayout layout = engine.histogramLayout();

            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> producerFailure = new AtomicReference<>();
            CountDownLatch running = new CountDownLatch(2);
            Thread[] producers = new Thread[2];
            for (int t = 0; t < producers.length; t++) {
                int seed = t;
                producers[t] = new Thread(() -> {
                    try {
                        long x = seed * 7_777L + 1;
                        running.countDown();
                        while (!stop.get()) {
                            constant.record(V);
                            x = (x * 6_364_136_223_846_793_005L + 1_442_695_040_888_963_407L);
                            varying.record(1 + Math.floorMod(x >>> 17, VARYING_MAX));
                            counter.increment();
                        }
                    } catch (Throwable e) {
                        producerFailure.set(e);
                    }
                }, "consistency-producer-" + t);
                producers[t].setDaemon(true);
                producers[t].start();
            }

            HistogramPoint firstConstant;
            HistogramPoint lastConstant = null;
            try {
                assertTrue(running.await(10, TimeUnit.SECONDS));
                // Start only once values are flowing, so that every snapshot races with the aggregator.
                firstConstant = histogram(awaitSnapshot(engine, "first values",
                        s -> histogram(s, "consistency_constant").count() > 0), "consistency_constant");

                long previousCounter = -1;
                long previousConstant = -1;
                long previousVarying = -1;
                for (int n = 0; n < SNAPSHOTS; n++) {
                    MetricsSnapshot snapshot = engine.snapshot();
                    String at = "snapshot " + n;

                    HistogramPoint c = histogram(snapshot, "consistency_constant");
                    assertBucketsAddUp(c);
                    if (cells) {
                        // A sweep may take the sums of a few records whose buckets it has not seen yet: never fewer.
                        assertEquals(0, c.sum() % V, at + ": sum of a constant histogram must be a multiple of V: " + c);
                        assertTrue(c.sum() >= c.count() * V, at + ": sum behind count * V: " + c);
                    } else {
                        assertEquals(c.count() * V, c.sum(), at + ": sum of a constant histogram must be count * V: " + c);
                    }
                    assertEquals(V, c.min(), at + ": min " + c);
                    assertEquals(V, c.max(), at + ": max " + c);
                    assertEquals(layout.indexOf(V), c.lowIndex(), at);
                    assertEquals(layout.indexOf(V), c.highIndex(), at);
                    assertEquals(c.count(), c.countAt(layout.indexOf(V)), at);

                    HistogramPoint v = histogram(snapshot, "consistency_varying");
                    assertBucketsAddUp(v);
                    assertTrue(v.count() > 0, at);
                    assertTrue(v.min() >= 1 && v.max() <= VARYING_MAX && v.min() <= v.max(), at + ": " + v);
                    assertEquals(layout.indexOf(v.min()), v.lowIndex(), at + ": low bucket must hold min " + v);
                    assertEquals(layout.indexOf(v.max()), v.highIndex(), at + ": high bucket must hold max " + v);
                    assertTrue(v.countAt(v.lowIndex()) > 0 && v.countAt(v.highIndex()) > 0, at);
                    assertTrue(v.sum() >= v.count() * v.min(), at + ": sum below count * min " + v);
                    assertTrue(cells || v.sum() <= v.count() * v.max(), at + ": sum above count * max " + v);

                    long events = counterLong(snapshot, "consistency_events");
                    assertTrue(events >= previousCounter, at + ": counter went back from " + previousCounter + " to " + events);
                    assertTrue(c.count() >= previousConstant, at + ": constant count went back from " + previousConstant);
                    assertTrue(v.count() >= previousVarying, at + ": varying count went back from " + previousVarying);
                    previousCounter = events;
                    previousConstant = c.count();
                    previousVarying = v.count();
                    lastConstant = c;
                }
            } finally {
                stop.set(true);
                for (Thread producer : producers) {
                    producer.join(10_000);
                }
            }
            assertNull(producerFailure.get(), "a producer failed");
            for (Thread producer : producers) {
                assertTrue(!producer.isAlive(), producer.getName() + " did not stop");
            }
            // Once the producers have stopped, the next snapshot is exact.
            HistogramPoint quiet = histogram(engine.snapshot(), "consistency_constant");
            assertEquals(quiet.count() * V, quiet.sum(), "sum after the producers stopped: " + quiet);
            // The snapshots really raced with recording: the histogram grew while they were taken.
            assertTrue(lastConstant.count() > firstConstant.count(),
                    "no record was applied while the snapshots were taken: " + firstConstant + " .. " + lastConstant);
            System.out.printf("%d snapshots while recording; constant histogram count %d -> %d%n", SNAPSHOTS,
                    firstConstant.count(), lastConstant.count());
        }
    }

    /**
     * Classic reads (count, sum and classic buckets, no HDR buckets) while the aggregator applies records at full
     * speed: the classic buckets always add up to the count, which is the {@code +Inf} bucket; counts never go back;
     * a classic read differs from the HDR read just before it in the same epoch by at most the one update that
     * was in flight when the epoch opened; and one read of both ({@code histogram(ClassicReading)}) gives classic
     * buckets that are exactly its HDR buckets mapped through the family's classic buckets.
     */
    @Test
    void classicReadsDuringFullSpeedRecordingAddUp() throws Exception {
        double[] bounds = {0.000_01, 0.000_1, 0.001, 0.002, 0.003, 0.004, 0.004_9};
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).build().start()) {
            Timer timer = engine.timer("consistency_classic").classicUpperBounds(bounds).register().labels();
            AtomicBoolean stop = new AtomicBoolean();
            ClassicCheck check = new ClassicCheck(bounds.length);
            runProducers(2, index -> {
                if (index == 1) {
                    long x = 1;
                    while (!stop.get()) {
                        x = (x * 6_364_136_223_846_793_005L + 1_442_695_040_888_963_407L);
                        timer.record(1 + Math.floorMod(x >>> 17, VARYING_MAX));
                    }
                    return;
                }
                try {
                    awaitSnapshot(engine, "first values",
                            s -> histogram(s, "consistency_classic").count() > 0);
                    for (int n = 0; n < SNAPSHOTS; n++) {
                        assertEquals(1, visitFamily(engine, "consistency_classic", check::check));
                    }
                } finally {
                    stop.set(true);
                }
            });
            assertEquals(SNAPSHOTS, check.reads);
            assertTrue(check.lastCount > check.firstCount,
                    "no record was applied while the classic reads were taken: " + check.firstCount);
            assertTrue(check.lastAboveLastBound > 0, "no value above the last bound was read");
            System.out.printf("%d classic reads while recording; count %d -> %d%n", SNAPSHOTS, check.firstCount,
                    check.lastCount);
        }
    }

    /** Checks every classic read of one family's single series ({@link #check}). */
    private static final class ClassicCheck {
        private final int boundCount;
        int reads;
        long firstCount = -1;
        long lastCount = -1;
        long lastAboveLastBound;
        private final ClassicReading together = new ClassicReading();

        ClassicCheck(int boundCount) {
            this.boundCount = boundCount;
        }

        void check(SeriesCursor cursor) {
            HistogramReading hdr = cursor.histogram();
            long hdrCount = hdr.count();
            ClassicReading classic = cursor.classicHistogram();
            String at = "classic read " + reads;
            assertEquals(boundCount, classic.boundCount(), at);
            long sum = 0;
            for (int k = 0; k <= classic.boundCount(); k++) {
                sum += classic.bucketCount(k);
            }
            assertEquals(classic.count(), sum, at + ": the +Inf bucket (count) must equal the classic buckets' sum");
            assertTrue(classic.count() >= hdrCount && classic.count() <= hdrCount + 1,
                    at + ": classic count " + classic.count() + ", HDR count " + hdrCount + " in the same epoch");
            assertTrue(classic.count() >= lastCount, at + ": count went back from " + lastCount);
            if (firstCount < 0) {
                firstCount = classic.count();
            }
            lastCount = classic.count();
            lastAboveLastBound = classic.bucketCount(boundCount);
            reads++;

            HistogramReading both = cursor.histogram(together);
            ClassicBuckets buckets = cursor.series().family().classicBuckets();
            long[] mapped = new long[boundCount + 1];
            for (int i = both.lowIndex(); i <= both.highIndex(); i++) {
                mapped[buckets.bucketOf(i)] += both.countAt(i);
            }
            for (int k = 0; k <= boundCount; k++) {
                assertEquals(mapped[k], together.bucketCount(k), at + ": one read, classic bucket " + k);
            }
            assertEquals(both.count(), together.count(), at + ": one read, count");
            assertEquals(both.sum(), together.sum(), at + ": one read, sum");
        }
    }
}
