package io.streammetrics.exemplar;

import io.streammetrics.EngineTestSupport;
import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.Histogram;
import io.streammetrics.metric.Timer;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.internal.store.StoreReader;
import io.streammetrics.testing.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.streammetrics.EngineTestSupport.counter;
import static io.streammetrics.EngineTestSupport.counterLong;
import static io.streammetrics.EngineTestSupport.histogram;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, item 1: the explicit exemplar form on histograms, timers and counters, the record path's rate limit (one
 * per sample interval), the store's slots (one per classic bucket, newest, largest; minimum retention), extra
 * exemplar labels, and what a reader of the store file sees.
 */
class ExemplarRecordTest {
    private static final long START = 1_700_000_000_000L;
    private static final long TRACE_HIGH = 0x0af7651916cd43ddL;
    private static final long TRACE_LOW = 0x8448eb211c80319cL;
    private static final long SPAN = 0xb7ad6b7169203331L;

    private final TestClock clock = new TestClock(START);
    private MetricsEngine engine;

    private MetricsEngine start(MetricsEngine.Builder builder) {
        engine = builder.clock(clock).jvmMetrics(false).build().start();
        return engine;
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    /** Lets the sample interval pass: the clock moves and an aggregator pass carries it to the coarse clock. */
    private void pass(Duration duration) {
        clock.advance(duration);
        engine.snapshot();
    }

    private static Exemplar only(List<Exemplar> exemplars, Exemplar.Kind kind) {
        List<Exemplar> found = exemplars.stream().filter(e -> e.kind() == kind).toList();
        assertEquals(1, found.size(), () -> kind + " in " + exemplars);
        return found.get(0);
    }

    private static Exemplar bucket(List<Exemplar> exemplars, int bucket) {
        List<Exemplar> found = exemplars.stream().filter(e -> e.classicBucket() == bucket).toList();
        assertEquals(1, found.size(), () -> "bucket " + bucket + " in " + exemplars);
        return found.get(0);
    }

    @Test
    void histogramKeepsTheExemplarOfItsClassicBucketTheNewestAndTheLargest() {
        start(MetricsEngine.builder());
        Histogram h = engine.histogram("request_bytes").classicUpperBounds(10, 100, 1000).register().labels();
        h.recordWithExemplar(50, TRACE_HIGH, TRACE_LOW, SPAN);

        HistogramPoint point = histogram(engine.snapshot(), "request_bytes");
        assertEquals(1, point.count());
        List<Exemplar> exemplars = point.exemplars();
        assertEquals(3, exemplars.size(), exemplars::toString);
        Exemplar inBucket = bucket(exemplars, 1);
        assertEquals(Exemplar.Kind.CLASSIC_BUCKET, inBucket.kind());
        assertEquals(50.0, inBucket.value());
        assertEquals("0af7651916cd43dd8448eb211c80319c", inBucket.traceId());
        assertEquals("b7ad6b7169203331", inBucket.spanIdHex());
        assertEquals(START, inBucket.timestampMillis());
        assertEquals(Map.of(), inBucket.labels());
        assertEquals(50.0, only(exemplars, Exemplar.Kind.NEWEST).value());
        assertEquals(50.0, only(exemplars, Exemplar.Kind.LARGEST).value());
    }

    @Test
    void atMostOneExemplarPerSampleIntervalLeavesTheRecordPath() {
        start(MetricsEngine.builder().exemplarSampleInterval(Duration.ofMillis(90)));
        Histogram h = engine.histogram("latency_units").classicUpperBounds(10, 100, 1000).register().labels();
        h.recordWithExemplar(50, 1, 1, 1);
        h.recordWithExemplar(500, 2, 2, 2);                 // same interval: value recorded, exemplar not taken
        MetricsSnapshot snapshot = engine.snapshot();
        assertEquals(2, histogram(snapshot, "latency_units").count());
        List<Exemplar> exemplars = histogram(snapshot, "latency_units").exemplars();
        assertEquals(1, only(exemplars, Exemplar.Kind.NEWEST).traceIdLow(), exemplars::toString);
        assertTrue(exemplars.stream().noneMatch(e -> e.classicBucket() == 2), exemplars::toString);

        pass(Duration.ofMillis(89));
        h.recordWithExemplar(500, 3, 3, 3);                 // 89 ms later: still closed
        assertEquals(1, only(histogram(engine.snapshot(), "latency_units").exemplars(), Exemplar.Kind.NEWEST)
                .traceIdLow());

        pass(Duration.ofMillis(2));
        h.recordWithExemplar(500, 4, 4, 4);                 // 91 ms later: open
        exemplars = histogram(engine.snapshot(), "latency_units").exemplars();
        assertEquals(4, only(exemplars, Exemplar.Kind.NEWEST).traceIdLow());
        assertEquals(4, bucket(exemplars, 2).traceIdLow());
        assertEquals(4, only(exemplars, Exemplar.Kind.LARGEST).traceIdLow());
    }

    @Test
    void aClassicBucketKeepsItsExemplarForTheMinimumRetentionTheLargestTakesALargerValueAtOnce() {
        start(MetricsEngine.builder().exemplarMinRetention(Duration.ofSeconds(7)));
        Histogram h = engine.histogram("sizes").classicUpperBounds(10, 100, 1000).register().labels();
        h.recordWithExemplar(50, 1, 1, 1);
        pass(Duration.ofSeconds(1));
        h.recordWithExemplar(60, 2, 2, 2);                  // same bucket, 1 s later: the bucket keeps trace 1
        List<Exemplar> exemplars = histogram(engine.snapshot(), "sizes").exemplars();
        assertEquals(1, bucket(exemplars, 1).traceIdLow());
        assertEquals(2, only(exemplars, Exemplar.Kind.NEWEST).traceIdLow());
        assertEquals(2, only(exemplars, Exemplar.Kind.LARGEST).traceIdLow(), "60 > 50 replaces the largest");

        pass(Duration.ofSeconds(1));
        h.recordWithExemplar(20, 3, 3, 3);                  // smaller: the largest keeps trace 2
        exemplars = histogram(engine.snapshot(), "sizes").exemplars();
        assertEquals(2, only(exemplars, Exemplar.Kind.LARGEST).traceIdLow());
        assertEquals(3, only(exemplars, Exemplar.Kind.NEWEST).traceIdLow());

        pass(Duration.ofSeconds(6));
        h.recordWithExemplar(70, 4, 4, 4);                  // 8 s after trace 1: the bucket takes trace 4
        exemplars = histogram(engine.snapshot(), "sizes").exemplars();
        assertEquals(4, bucket(exemplars, 1).traceIdLow());
    }

    @Test
    void timerAndCounterRecordExemplarsInTheirUnits() {
        start(MetricsEngine.builder());
        Timer timer = engine.timer("work_duration").classicUpperBounds(0.001, 0.01).register().labels();
        Counter counter = engine.counter("jobs_total").register().labels();
        timer.recordWithExemplar(5_000_000, TRACE_HIGH, TRACE_LOW, SPAN);       // 5 ms: the 0.01 bucket
        counter.incrementWithExemplar(TRACE_HIGH, TRACE_LOW, SPAN);
        MetricsSnapshot snapshot = engine.snapshot();
        Exemplar timed = bucket(histogram(snapshot, "work_duration").exemplars(), 1);
        assertEquals(5_000_000.0, timed.value());
        assertEquals(1, counterLong(snapshot, "jobs"));
        List<Exemplar> counted = counter(snapshot, "jobs").exemplars();
        assertEquals(1, counted.size());
        assertEquals(Exemplar.Kind.COUNTER, counted.get(0).kind());
        assertEquals(1.0, counted.get(0).value());
        assertEquals(SPAN, counted.get(0).spanId());
    }

    @Test
    void aZeroTraceIdRecordsTheValueOnly() {
        start(MetricsEngine.builder());
        Histogram h = engine.histogram("plain").register().labels();
        h.recordWithExemplar(7, 0, 0, SPAN);
        HistogramPoint point = histogram(engine.snapshot(), "plain");
        assertEquals(1, point.count());
        assertEquals(List.of(), point.exemplars());
    }

    @Test
    void extraLabelsAreResolvedOnceCheckedAndShown() {
        start(MetricsEngine.builder());
        ExemplarLabels labels = engine.exemplarLabels("tenant", "acme", "route", "/orders");
        assertSame(labels, engine.exemplarLabels("tenant", "acme", "route", "/orders"));
        assertThrows(IllegalArgumentException.class, () -> engine.exemplarLabels("tenant"));
        IllegalArgumentException reserved = assertThrows(IllegalArgumentException.class,
                () -> engine.exemplarLabels("trace_id", "x"));
        assertTrue(reserved.getMessage().contains("trace_id"), reserved.getMessage());
        assertThrows(IllegalArgumentException.class, () -> engine.exemplarLabels("bad-name", "x"));
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> engine.exemplarLabels("note", "x".repeat(ExemplarLabels.MAX_CHARACTERS)));
        assertTrue(tooLong.getMessage().contains("characters"), tooLong.getMessage());

        Histogram h = engine.histogram("labelled").register().labels();
        h.recordWithExemplar(3, TRACE_HIGH, TRACE_LOW, SPAN, labels);
        Exemplar newest = only(histogram(engine.snapshot(), "labelled").exemplars(), Exemplar.Kind.NEWEST);
        assertEquals(List.of("tenant", "route"), List.copyOf(newest.labels().keySet()));
        assertEquals("/orders", newest.labels().get("route"));
    }

    @Test
    void aReaderOfTheStoreFileSeesTheExemplars(@TempDir Path dir) {
        Path file = dir.resolve("metrics.store");
        start(MetricsEngine.builder().storeFile(file));
        ExemplarLabels labels = engine.exemplarLabels("tenant", "acme");
        engine.histogram("filed").classicUpperBounds(10, 100).register().labels()
                .recordWithExemplar(50, TRACE_HIGH, TRACE_LOW, SPAN, labels);
        engine.counter("filed_events").register().labels().addWithExemplar(2.5, 1, 2, 3, ExemplarLabels.NONE);
        engine.snapshot();
        try (StoreReader reader = StoreReader.open(file.toFile())) {
            StoreReader.Series histogram = reader.series().stream().filter(s -> s.name().equals("filed")).findFirst()
                    .orElseThrow();
            assertEquals(3, histogram.exemplars().size(), histogram.exemplars()::toString);
            Exemplar inBucket = bucket(histogram.exemplars(), 1);
            assertEquals("0af7651916cd43dd8448eb211c80319c", inBucket.traceId());
            assertEquals(Map.of("tenant", "acme"), inBucket.labels());
            StoreReader.Series counter = reader.series().stream().filter(s -> s.name().equals("filed_events"))
                    .findFirst().orElseThrow();
            assertEquals(2.5, counter.exemplars().get(0).value());
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            StoreReader.print(reader, new java.io.PrintStream(out, true));
            assertTrue(out.toString().contains("trace_id=\"0af7651916cd43dd8448eb211c80319c\""), out.toString());
        }
    }

    @Test
    void recordingWithAnExemplarAllocatesNothing() {
        start(MetricsEngine.builder().exemplarSampleInterval(Duration.ofMillis(1)));
        Histogram h = engine.histogram("alloc").register().labels();
        Timer t = engine.timer("alloc_time").register().labels();
        Counter c = engine.counter("alloc_events").register().labels();
        ExemplarLabels labels = engine.exemplarLabels("k", "v");
        Duration step = Duration.ofMillis(2);
        Runnable loop = () -> {
            for (int i = 1; i <= 500_000; i++) {
                if ((i & 1023) == 0) {
                    clock.advance(step);                     // the aggregator's passes reopen the gates
                }
                h.recordWithExemplar(i & 1023, i, i, i, labels);
                t.recordWithExemplar(i & 1023, i, i, i);
                c.incrementWithExemplar(i, i, i);
            }
        };
        loop.run();                                          // cells, rings and JIT settle
        long allocated = EngineTestSupport.allocatedBytes(loop);
        System.out.printf("allocated %d bytes for 1,500,000 records with exemplars%n", allocated);
        // As AllocationTest: a budget for the JVM's own bookkeeping, far below one object per record or exemplar.
        assertTrue(allocated < 64 * 1024, "recording with exemplars allocated " + allocated + " bytes");
        MetricsSnapshot snapshot = engine.snapshot();
        assertEquals(1_000_000, histogram(snapshot, "alloc").count());
        assertTrue(histogram(snapshot, "alloc").exemplars().size() >= 3, "exemplars were taken");
        assertTrue(counter(snapshot, "alloc_events").exemplars().size() == 1, "exemplars were taken");
    }

    @Test
    void aFullExemplarBufferDropsAndCounts() {
        // Not started: nothing drains the thread's exemplar buffer, which holds 64.
        engine = MetricsEngine.builder().clock(clock).jvmMetrics(false).build();
        for (int i = 0; i < 70; i++) {
            engine.histogram("full_" + i).register().labels().recordWithExemplar(i, 1, 1, 1);
        }
        engine.start();
        MetricsSnapshot snapshot = engine.snapshot();
        assertEquals(6, counterLong(snapshot, "streammetrics_exemplars_dropped"));
        assertEquals(1, histogram(snapshot, "full_0").exemplars().stream()
                .filter(e -> e.kind() == Exemplar.Kind.NEWEST).count());
        assertEquals(List.of(), histogram(snapshot, "full_69").exemplars());
        assertEquals(1, histogram(snapshot, "full_69").count(), "the value itself is recorded");
    }
}
