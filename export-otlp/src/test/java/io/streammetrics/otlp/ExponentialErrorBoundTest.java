package io.streammetrics.otlp;

import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.resources.Resource;
import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Histogram;
import io.streammetrics.snapshot.HistogramPoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exponential mapping's documented bound: at 2 significant digits (scale 7) every quantile estimated from the
 * exponential buckets is within {@code (2^(1/128) - 1) + 2^-7} (1.32%) of the exact quantile of the recorded values,
 * and of HdrHistogram's own quantile.
 */
class ExponentialErrorBoundTest {
    private final MetricsEngine engine = MetricsEngine.builder().build().start();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void boundIsWhatTheClassCommentStates() {
        assertEquals(7, ExponentialBucketMapping.scaleFor(engine.histogramLayout()));
        double bound = ExponentialBucketMapping.relativeErrorBound(engine.histogramLayout());
        assertEquals(Math.pow(2, 1.0 / 128) - 1 + 1.0 / 128, bound, 1e-15);
        assertTrue(bound < 0.0133);
    }

    @Test
    void everyQuantileIsWithinTheBound() {
        Histogram histogram = engine.histogram("values").register().labels();
        Random random = new Random(7);
        long[] values = new long[20_000];
        for (int i = 0; i < values.length; i++) {
            // Log-uniform over 1 .. 10^11: every HDR bucket size the default layout has, and the single-unit range.
            values[i] = Math.max(1, (long) Math.pow(10, random.nextDouble() * 11));
            histogram.record(values[i]);
        }
        EngineWait.histogramCount(engine, "values", values.length);
        StreamMetricsProducer producer = StreamMetricsProducer.builder(engine)
                .defaultHistogramFormat(HistogramFormat.exponential()).build();
        ExponentialHistogramPointData point = Collected.metric(producer.produce(Resource.empty()), "values")
                .getExponentialHistogramData().getPoints().iterator().next();
        HistogramPoint hdrPoint = (HistogramPoint) engine.snapshot().family("values").points().get(0);
        org.HdrHistogram.Histogram hdr = hdrPoint.toHdrHistogram();

        Arrays.sort(values);
        double bound = ExponentialBucketMapping.relativeErrorBound(engine.histogramLayout());
        int scale = point.getScale();
        int offset = point.getPositiveBuckets().getOffset();
        List<Long> counts = point.getPositiveBuckets().getBucketCounts();
        double worst = 0;
        for (double q = 0.001; q < 1; q += 0.001) {
            long rank = (long) Math.ceil(q * values.length); // 1-based
            double exact = values[(int) rank - 1];
            // The exponential bucket holding that rank, estimated at its geometric midpoint.
            long seen = point.getZeroCount();
            int bucket = 0;
            while (seen + counts.get(bucket) < rank) {
                seen += counts.get(bucket);
                bucket++;
            }
            double lower = ExponentialBucketMapping.lowerBound(offset + bucket, scale);
            double upper = ExponentialBucketMapping.lowerBound(offset + bucket + 1, scale);
            double estimate = Math.sqrt(lower * upper);
            double error = Math.abs(estimate - exact) / exact;
            worst = Math.max(worst, error);
            assertTrue(error <= bound, "q=" + q + " exact " + exact + " estimate " + estimate + " error " + error);
            double hdrQuantile = hdr.getValueAtPercentile(q * 100);
            double hdrError = Math.abs(estimate - hdrQuantile) / hdrQuantile;
            assertTrue(hdrError <= bound, "q=" + q + " HDR " + hdrQuantile + " estimate " + estimate);
        }
        // The bound is not vacuous: the worst case comes within a factor 4 of it.
        assertTrue(worst > bound / 4, "worst " + worst);
    }
}
