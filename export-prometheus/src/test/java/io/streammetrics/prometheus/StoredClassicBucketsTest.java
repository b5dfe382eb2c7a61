package io.streammetrics.prometheus;

import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.common.ClassicBuckets;
import io.streammetrics.common.DefaultBuckets;
import io.streammetrics.common.HistogramLayout;
import io.streammetrics.common.MetricType;
import io.streammetrics.common.Unit;
import io.streammetrics.internal.store.ClassicReading;
import io.streammetrics.internal.store.HistogramReading;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

import static io.streammetrics.EngineTestSupport.valuesAroundBounds;
import static io.streammetrics.EngineTestSupport.visitFamily;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The classic counts the store keeps for a family's own bounds (what {@link StoreTextWriter} renders) equal the
 * counts {@link ClassicBucketMapping} gives from the HDR buckets of the same state (what the client_java path
 * renders): timers (bounds in seconds, values in nanoseconds) and plain histograms, declared and default bounds,
 * values exactly on, next to and around the bounds.
 */
class StoredClassicBucketsTest {
    @Test
    void storedClassicCountsEqualClassicBucketMappingOfTheHdrBuckets() {
        SplittableRandom random = new SplittableRandom(4);
        int compared = 0;
        for (int round = 0; round < 40; round++) {
            try (MetricsEngine engine = MetricsEngine.builder().backPressure(BackPressure.BLOCK).jvmMetrics(false)
                    .build().start()) {
                HistogramLayout layout = engine.histogramLayout();
                MetricType type = round % 2 == 0 ? MetricType.TIMER : MetricType.HISTOGRAM;
                Unit unit = type == MetricType.TIMER ? Unit.SECONDS : round % 4 == 1 ? Unit.BYTES : null;
                double[] bounds = round % 3 == 0 ? DefaultBuckets.forFamily(type, unit, layout) : randomBounds(random,
                        type == MetricType.TIMER ? 1e-7 : 0.5);
                String name = "stored_" + round;
                int series = 1 + random.nextInt(4);
                for (int s = 0; s < series; s++) {
                    String shard = "s" + s;
                    LongConsumer record;
                    if (type == MetricType.TIMER) {
                        var builder = engine.timer(name).labelNames("shard");
                        record = (round % 3 == 0 ? builder : builder.classicUpperBounds(bounds)).register()
                                .labels(shard)::record;
                    } else {
                        var builder = engine.histogram(name).labelNames("shard");
                        if (unit != null) {
                            builder.unit(unit);
                        }
                        record = (round % 3 == 0 ? builder : builder.classicUpperBounds(bounds)).register()
                                .labels(shard)::record;
                    }
                    List<Long> values = valuesAroundBounds(bounds, type.exportScale(), layout.highestTrackableValue(),
                            random);
                    values.subList(0, random.nextInt(values.size())).forEach(record::accept);
                }
                int[] limits = ClassicBucketMapping.indexLimits(layout, bounds, type.exportScale());
                long[] mapped = new long[bounds.length + 1];
                long[] stored = new long[bounds.length + 1];
                String context = name + " " + type + " " + Arrays.toString(bounds);
                assertEquals(series, visitFamily(engine, name, cursor -> {
                    ClassicBuckets family = cursor.series().family().classicBuckets();
                    assertArrayEquals(bounds, family.upperBounds(), context);
                    HistogramReading hdr = cursor.histogram();
                    ClassicBucketMapping.counts(hdr, limits, mapped);
                    ClassicReading classic = cursor.classicHistogram();
                    for (int k = 0; k <= bounds.length; k++) {
                        stored[k] = classic.bucketCount(k);
                    }
                    assertArrayEquals(mapped, stored, context + " " + cursor.series().labelValues());
                    assertEquals(hdr.count(), classic.count(), context);
                    assertEquals(hdr.sum(), classic.sum(), context);
                }), context);
                compared += series;
            }
        }
        System.out.printf("stored classic counts compared with ClassicBucketMapping for %d series%n", compared);
    }

    /** Strictly increasing bounds from about {@code first}, half of them whole multiples of it. */
    static double[] randomBounds(SplittableRandom random, double first) {
        double[] bounds = new double[1 + random.nextInt(ClassicBuckets.MAX_UPPER_BOUNDS)];
        double bound = first;
        for (int k = 0; k < bounds.length; k++) {
            bound *= 1.001 + random.nextDouble() * 2;
            if (random.nextBoolean()) {
                bound = Math.ceil(bound / first) * first;
            }
            bounds[k] = bound;
        }
        return bounds;
    }
}
