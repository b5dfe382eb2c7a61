package io.streammetrics.metric;

import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.common.ClassicBuckets;
import io.streammetrics.common.DefaultBuckets;
import io.streammetrics.common.HistogramLayout;
import io.streammetrics.common.MetricType;
import io.streammetrics.common.Unit;
import io.streammetrics.internal.store.ClassicReading;
import io.streammetrics.internal.store.HistogramReading;
import io.streammetrics.snapshot.MetricsSnapshot;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

import static io.streammetrics.EngineTestSupport.valuesAroundBounds;
import static io.streammetrics.EngineTestSupport.visitFamily;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Classic upper bounds declared on histogram and timer families: validated at registration, part of a family's
 * identity, and counted by the store as the HDR buckets map onto them, within one HDR bucket of the exact counts.
 */
class ClassicUpperBoundsTest {
    private static MetricsEngine engine() {
        return MetricsEngine.builder().backPressure(BackPressure.BLOCK).jvmMetrics(false).build().start();
    }

    @Test
    void timerCountsMatchTheExactCountsWithinOneHdrBucketOfEachBound() {
        try (MetricsEngine engine = engine()) {
            double[] bounds = {0.0000005, 0.00001, 0.000123, 0.005, 0.01, 0.025, 0.1, 0.333, 1, 2.5, 10};
            assertTrue(recordAndCheck(engine, MetricType.TIMER, "exact_timer", bounds, new SplittableRandom(7)) > 0,
                    "no value fell in an HDR bucket straddling a bound");
        }
    }

    @Test
    void histogramCountsMatchTheExactCountsWithinOneHdrBucketOfEachBound() {
        try (MetricsEngine engine = engine()) {
            double[] bounds = {0, 1, 10, 255, 256, 257, 1000, 1003, 2047.5, 123_456, 1e6, 1e9, 3e12};
            assertTrue(recordAndCheck(engine, MetricType.HISTOGRAM, "exact_sizes", bounds, new SplittableRandom(11)) > 0,
                    "no value fell in an HDR bucket straddling a bound");
        }
    }

    @Test
    void randomBoundsAndValuesMatchTheExactCounts() {
        SplittableRandom random = new SplittableRandom(2026);
        for (int round = 0; round < 20; round++) {
            try (MetricsEngine engine = engine()) {
                MetricType type = random.nextBoolean() ? MetricType.TIMER : MetricType.HISTOGRAM;
                double scale = type.exportScale();
                double[] bounds = new double[1 + random.nextInt(ClassicBuckets.MAX_UPPER_BOUNDS)];
                double bound = type == MetricType.TIMER ? 1e-7 : 0.5;
                for (int k = 0; k < bounds.length; k++) {
                    bound *= 1.001 + random.nextDouble() * 2;
                    // Integer bounds and bounds in whole nanoseconds put values exactly on them.
                    if (random.nextBoolean()) {
                        bound = Math.ceil(bound * scale) / scale;
                    }
                    bounds[k] = bound;
                }
                recordAndCheck(engine, type, "random_" + round, bounds, random);
            }
        }
    }

    /**
     * Registers a family of {@code type} with {@code bounds}, records values on, next to and around them, and
     * checks its classic counts ({@link #assertAgainstExactCounts}); returns how many values a bound missed.
     */
    private static int recordAndCheck(MetricsEngine engine, MetricType type, String name, double[] bounds,
                                      SplittableRandom random) {
        LongConsumer record = type == MetricType.TIMER
                ? engine.timer(name).classicUpperBounds(bounds).register().labels()::record
                : engine.histogram(name).classicUpperBounds(bounds).register().labels()::record;
        List<Long> values = valuesAroundBounds(bounds, type.exportScale(),
                engine.histogramLayout().highestTrackableValue(), random);
        values.forEach(record::accept);
        return assertAgainstExactCounts(engine, name, bounds, type.exportScale(), values);
    }

    /**
     * Reads the family's only series from the store, classic and HDR in the same epoch, and checks: the classic
     * buckets add up to the count; they equal the HDR buckets mapped through the family's table; and against the
     * exact counts (values at or below each bound) they miss exactly the values whose HDR bucket straddles the
     * bound, each within one HDR bucket width ({@code 2^-m} of the value) below it. Returns how many it missed.
     */
    private static int assertAgainstExactCounts(MetricsEngine engine, String name, double[] bounds, double scale,
                                                 List<Long> values) {
        HistogramLayout layout = engine.histogramLayout();
        long[] classic = new long[bounds.length + 1];
        long[] fromHdr = new long[bounds.length + 1];
        long[] countAndSum = new long[2];
        int visited = visitFamily(engine, name, cursor -> {
            ClassicBuckets buckets = cursor.series().family().classicBuckets();
            assertTrue(buckets.hasUpperBounds(bounds), buckets.toString());
            HistogramReading hdr = cursor.histogram();
            for (int i = hdr.lowIndex(); i <= hdr.highIndex(); i++) {
                fromHdr[buckets.bucketOf(i)] += hdr.countAt(i);
            }
            ClassicReading reading = cursor.classicHistogram();
            assertEquals(bounds.length, reading.boundCount());
            for (int k = 0; k <= bounds.length; k++) {
                classic[k] = reading.bucketCount(k);
            }
            countAndSum[0] = reading.count();
            countAndSum[1] = reading.sum();
            assertEquals(hdr.count(), reading.count());
            assertEquals(hdr.sum(), reading.sum());
        });
        String context = name + " " + Arrays.toString(bounds);
        assertEquals(1, visited, context + ": series visited");
        assertEquals(values.size(), countAndSum[0], context);
        assertEquals(values.stream().mapToLong(Long::longValue).sum(), countAndSum[1], context);
        assertEquals(countAndSum[0], Arrays.stream(classic).sum(), context + ": classic buckets must add up to the count");
        assertArrayEquals(fromHdr, classic, context + ": classic counts differ from the HDR buckets' mapping");

        long cumulative = 0;
        int misplacedTotal = 0;
        for (int k = 0; k < bounds.length; k++) {
            cumulative += classic[k];
            double bound = bounds[k];
            long exact = 0;
            int misplaced = 0;
            for (long v : values) {
                if (v / scale <= bound) {
                    exact++;
                    if (layout.highestValueAt(layout.indexOf(v)) / scale > bound) {
                        misplaced++;
                        double distance = bound * scale - v;
                        assertTrue(distance < v * layout.relativeBucketWidth(), context + ": " + v
                                + " counted above le=" + bound + " is " + distance + " below it, more than 2^-m");
                    }
                }
            }
            assertEquals(exact - misplaced, cumulative, context + ": le=" + bound + " (exact " + exact + ")");
            misplacedTotal += misplaced;
        }
        return misplacedTotal;
    }

    @Test
    void defaultsAreDefaultBucketsAndDeclaredBoundsAreKeptWithoutInf() {
        try (MetricsEngine engine = engine()) {
            engine.timer("d_latency").register().labels();
            engine.histogram("d_payload").unit(Unit.BYTES).register().labels();
            engine.histogram("d_plain").register().labels();
            engine.timer("d_custom").classicUpperBounds(0.001, 0.01, Double.POSITIVE_INFINITY).register().labels();
            MetricsSnapshot snapshot = engine.snapshot();
            Map<String, double[]> bounds = new HashMap<>();
            for (String name : List.of("d_latency", "d_payload", "d_plain", "d_custom")) {
                bounds.put(name, snapshot.family(name).classicUpperBounds());
            }
            HistogramLayout layout = engine.histogramLayout();
            assertArrayEquals(DefaultBuckets.forFamily(MetricType.TIMER, Unit.SECONDS, layout), bounds.get("d_latency"));
            assertArrayEquals(DefaultBuckets.forFamily(MetricType.HISTOGRAM, Unit.BYTES, layout), bounds.get("d_payload"));
            assertArrayEquals(DefaultBuckets.forFamily(MetricType.HISTOGRAM, null, layout), bounds.get("d_plain"));
            assertArrayEquals(new double[] {0.001, 0.01}, bounds.get("d_custom"));
        }
    }

    @Test
    void badBoundsAreRejectedNamingTheFamilyAndTheProblem() {
        try (MetricsEngine engine = engine()) {
            assertRejected(() -> engine.timer("bad_a").classicUpperBounds(), "bad_a", "at least one finite bound");
            assertRejected(() -> engine.timer("bad_b").classicUpperBounds(Double.POSITIVE_INFINITY), "bad_b",
                    "at least one finite bound");
            assertRejected(() -> engine.histogram("bad_c").classicUpperBounds(1, Double.NaN, 3), "bad_c", "finite");
            assertRejected(() -> engine.histogram("bad_d").classicUpperBounds(1, Double.POSITIVE_INFINITY, 3), "bad_d",
                    "finite");
            assertRejected(() -> engine.histogram("bad_e").classicUpperBounds(Double.NEGATIVE_INFINITY, 3), "bad_e",
                    "finite");
            assertRejected(() -> engine.histogram("bad_f").classicUpperBounds(1, 3, 2), "bad_f", "strictly increasing");
            assertRejected(() -> engine.histogram("bad_g").classicUpperBounds(1, 2, 2), "bad_g", "strictly increasing");
            double[] tooMany = new double[ClassicBuckets.MAX_UPPER_BOUNDS + 1];
            for (int i = 0; i < tooMany.length; i++) {
                tooMany[i] = i + 1;
            }
            assertRejected(() -> engine.histogram("bad_h").classicUpperBounds(tooMany), "bad_h",
                    "more than the " + ClassicBuckets.MAX_UPPER_BOUNDS);
            // The most allowed fits, +Inf last is not counted against it.
            double[] most = Arrays.copyOf(tooMany, ClassicBuckets.MAX_UPPER_BOUNDS + 1);
            most[ClassicBuckets.MAX_UPPER_BOUNDS] = Double.POSITIVE_INFINITY;
            engine.histogram("most").classicUpperBounds(most).register().labels().record(40);
        }
    }

    private static void assertRejected(Runnable registration, String family, String problem) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, registration::run);
        assertTrue(e.getMessage().contains("'" + family + "'") && e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void registeringAgainWithOtherBoundsIsAConflict() {
        try (MetricsEngine engine = engine()) {
            TimerFamily first = engine.timer("again").labelNames("stage").classicUpperBounds(0.1, 1).register();
            assertSame(first.metadata, engine.timer("again").labelNames("stage").classicUpperBounds(0.1, 1, Double.POSITIVE_INFINITY)
                    .register().metadata);
            IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                    () -> engine.timer("again").labelNames("stage").classicUpperBounds(0.1, 2).register());
            assertTrue(other.getMessage().contains("'again'") && other.getMessage().contains("[0.1, 1.0]")
                    && other.getMessage().contains("[0.1, 2.0]"), other.getMessage());
            // No bounds means the defaults, which these are not.
            assertThrows(IllegalArgumentException.class, () -> engine.timer("again").labelNames("stage").register());

            TimerFamily defaults = engine.timer("again_default").register();
            assertSame(defaults.metadata, engine.timer("again_default").classicUpperBounds(
                    DefaultBuckets.forFamily(MetricType.TIMER, Unit.SECONDS, engine.histogramLayout())).register().metadata);
        }
    }
}
