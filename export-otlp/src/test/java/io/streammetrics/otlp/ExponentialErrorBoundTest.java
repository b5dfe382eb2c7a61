package io.streammetrics.otlp;

import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.resources.Resource;
import io.streammetrics.MetricsEngine;
import io.streammetrics.internal.exponential.ExponentialBucketMapping;
import io.streammetrics.internal.exponential.ExponentialScale;
import io.streammetrics.metric.Histogram;
import io.streammetrics.snapshot.HistogramPoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exponential format's documented bound, end to end through the producer: every quantile estimated from the
 * exported buckets is within the core mapping's {@code relativeError(scale)} of the exact quantile of the recorded
 * values (and of HdrHistogram's own), at scale 7 (0.94% at 2 significant digits) when the bucket limit allows it,
 * and at the scale the default 160 buckets leave for eleven decades.
 */
class ExponentialErrorBoundTest {
    private final MetricsEngine engine = MetricsEngine.builder().build().start();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void boundAtScaleSevenIsWhatTheReadmeStates() {
        ExponentialBucketMapping mapping = new ExponentialBucketMapping(engine.histogramLayout(), 1,
                HistogramFormat.DEFAULT_MAX_SCALE, ExponentialScale.MIN_SCALE, 0);
        assertEquals(7, mapping.initialScale());
        assertEquals(Math.pow(2, 1.0 / 128) / (1 - 1.0 / 256) - 1, mapping.relativeError(7), 1e-15);
        assertTrue(mapping.relativeError(7) < 0.0094);
    }

    @Test
    void everyQuantileIsWithinTheBoundAtScaleSeven() {
        long[] values = record();
        ExponentialHistogramPointData point = produce(HistogramFormat.exponential(5_000, 20));
        assertEquals(7, point.getScale(), "eleven decades fit 5,000 buckets at scale 7");
        assertQuantilesWithinBound(values, point);
    }

    @Test
    void everyQuantileIsWithinTheBoundOfTheBoundedScale() {
        long[] values = record();
        ExponentialHistogramPointData point = produce(HistogramFormat.exponential());
        assertTrue(point.getPositiveBuckets().getBucketCounts().size() <= 160);
        assertEquals(2, point.getScale(), "eleven decades (36.5 octaves) in 160 buckets: 4 an octave (146), not 8");
        assertQuantilesWithinBound(values, point);
    }

    @Test
    void formatRejectsWhatTheSdkRejects() {
        assertThrows(IllegalArgumentException.class, () -> HistogramFormat.exponential(1, 20));
        assertThrows(IllegalArgumentException.class, () -> HistogramFormat.exponential(160, 21));
        assertThrows(IllegalArgumentException.class, () -> HistogramFormat.exponential(160, -11));
        assertEquals(160, HistogramFormat.exponential().maxBuckets());
        assertEquals(20, HistogramFormat.exponential().maxScale());
    }

    private long[] record() {
        Histogram histogram = engine.histogram("values").register().labels();
        Random random = new Random(7);
        long[] values = new long[20_000];
        for (int i = 0; i < values.length; i++) {
            // Log-uniform over 1 .. 10^11: every HDR bucket size the default layout has, and the single-unit range.
            values[i] = Math.max(1, (long) Math.pow(10, random.nextDouble() * 11));
            histogram.record(values[i]);
        }
        EngineWait.histogramCount(engine, "values", values.length);
        Arrays.sort(values);
        return values;
    }

    private ExponentialHistogramPointData produce(HistogramFormat format) {
        EngineMetricProducer producer = EngineMetricProducer.builder(engine).defaultHistogramFormat(format).build();
        return Collected.metric(producer.produce(Resource.empty()), "values").getExponentialHistogramData().getPoints()
                .iterator().next();
    }

    private void assertQuantilesWithinBound(long[] values, ExponentialHistogramPointData point) {
        int scale = point.getScale();
        double bound = new ExponentialBucketMapping(engine.histogramLayout(), 1, 20, -10, 0).relativeError(scale);
        double worst = ExponentialQuantiles.assertWithinBound(values, 1, scale, point.getPositiveBuckets().getOffset(),
                point.getPositiveBuckets().getBucketCounts(), point.getZeroCount(), bound);
        // The bound is not vacuous: a bucket's bounds reach most of it.
        assertTrue(worst > bound / 2, "worst " + worst + " of bound " + bound);
        // And HdrHistogram's own quantile lies in the same bucket as the exact one, so within the bound too.
        HistogramPoint hdrPoint = (HistogramPoint) engine.snapshot().family("values").points().get(0);
        org.HdrHistogram.Histogram hdr = hdrPoint.toHdrHistogram();
        long[] hdrQuantiles = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            hdrQuantiles[i] = hdr.getValueAtPercentile(100.0 * (i + 1) / values.length);
        }
        ExponentialQuantiles.assertWithinBound(hdrQuantiles, 1, scale, point.getPositiveBuckets().getOffset(),
                point.getPositiveBuckets().getBucketCounts(), point.getZeroCount(), bound);
    }
}
