package io.streammetrics.otlp;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.Histogram;
import io.streammetrics.metric.Timer;
import io.streammetrics.testing.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DELTA temporality over three collections: every interval's counter increase, histogram count, sum and bucket
 * counts equal what was recorded in it, start time is the previous collection's time, and the deltas add up to the
 * cumulative state.
 */
class DeltaTemporalityTest {
    private static final long T0 = 1_700_000_000_000L;
    private final TestClock clock = new TestClock(T0);
    private final MetricsEngine engine = MetricsEngine.builder().clock(clock).build().start();

    @AfterEach
    void close() {
        engine.close();
    }

    private static long nanos(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void deltasAreExactAcrossThreeCollections() {
        Counter counter = engine.counter("events").register().labels();
        Counter fractional = engine.counter("amount").register().labels();
        Timer timer = engine.timer("latency").register().labels();
        Histogram exp = engine.histogram("sizes").register().labels();
        EngineMetricProducer delta = EngineMetricProducer.builder(engine).temporality(AggregationTemporality.DELTA)
                .histogramFormat("sizes", HistogramFormat.exponential()).build();
        EngineMetricProducer cumulative = EngineMetricProducer.builder(engine)
                .histogramFormat("sizes", HistogramFormat.exponential()).build();

        Random random = new Random(42);
        long[] increments = {7, 0, 1_000_003};
        double[] amounts = {0.25, 1.5, 0};
        int[] timerValues = {50, 0, 300};
        long previousTime = 0;
        long counterTotal = 0;
        double amountTotal = 0;
        long timerTotal = 0;
        List<Long> bucketTotals = null;
        for (int interval = 0; interval < 3; interval++) {
            clock.advance(Duration.ofMillis(10_000));
            counter.add(increments[interval]);
            if (amounts[interval] > 0) {
                fractional.add(amounts[interval]);
            }
            long expectedSumNanos = 0;
            long[] recorded = new long[timerValues[interval]];
            for (int i = 0; i < recorded.length; i++) {
                recorded[i] = 1 + (long) (random.nextDouble() * 2_000_000_000L);
                timer.record(recorded[i]);
                expectedSumNanos += recorded[i];
                exp.record(recorded[i] / 1000);
            }
            counterTotal += increments[interval];
            amountTotal += amounts[interval];
            timerTotal += recorded.length;
            EngineWait.counter(engine, "events", counterTotal);
            EngineWait.counter(engine, "amount", amountTotal);
            EngineWait.histogramCount(engine, "latency", timerTotal);
            EngineWait.histogramCount(engine, "sizes", timerTotal);
            long now = T0 + 10_000L * (interval + 1);
            Collection<MetricData> metrics = delta.produce(Resource.empty());

            DoublePointData events = only(Collected.metric(metrics, "events").getDoubleSumData().getPoints());
            assertEquals(AggregationTemporality.DELTA, Collected.metric(metrics, "events").getDoubleSumData().getAggregationTemporality());
            assertEquals(increments[interval], events.getValue(), "interval " + interval);
            assertEquals(interval == 0 ? nanos(T0) : nanos(previousTime), events.getStartEpochNanos());
            assertEquals(nanos(now), events.getEpochNanos());
            assertEquals(amounts[interval], only(Collected.metric(metrics, "amount").getDoubleSumData().getPoints()).getValue());

            HistogramPointData latency = only(Collected.metric(metrics, "latency").getHistogramData().getPoints());
            assertEquals(AggregationTemporality.DELTA, Collected.metric(metrics, "latency").getHistogramData().getAggregationTemporality());
            assertEquals(recorded.length, latency.getCount(), "interval " + interval);
            assertEquals(expectedSumNanos / 1e9, latency.getSum(), 1e-9);
            assertEquals(recorded.length, latency.getCounts().stream().mapToLong(Long::longValue).sum());
            // Interval 0 starts from an empty series: min and max are exact; later intervals cannot know them.
            assertEquals(interval == 0, latency.hasMin());
            assertEquals(interval == 0, latency.hasMax());
            List<Long> expectedBuckets = expectedBuckets(recorded, latency.getBoundaries());
            assertEquals(expectedBuckets, latency.getCounts(), "interval " + interval);
            bucketTotals = add(bucketTotals, latency.getCounts());

            ExponentialHistogramPointData sizes = only(Collected.metric(metrics, "sizes").getExponentialHistogramData().getPoints());
            assertEquals(recorded.length, sizes.getCount());
            assertEquals(recorded.length, sizes.getZeroCount()
                    + sizes.getPositiveBuckets().getBucketCounts().stream().mapToLong(Long::longValue).sum());
            for (long count : sizes.getPositiveBuckets().getBucketCounts()) {
                assertTrue(count >= 0, "no negative delta bucket");
            }
            assertTrue(sizes.getPositiveBuckets().getBucketCounts().size() <= 160, "at most 160 buckets a delta");
            previousTime = now;
        }
        // The deltas add up to the cumulative state of the same engine.
        Collection<MetricData> total = cumulative.produce(Resource.empty());
        assertEquals(7 + 1_000_003, only(Collected.metric(total, "events").getDoubleSumData().getPoints()).getValue());
        HistogramPointData latencyTotal = only(Collected.metric(total, "latency").getHistogramData().getPoints());
        assertEquals(350, latencyTotal.getCount());
        assertEquals(latencyTotal.getCounts(), bucketTotals);
    }

    @Test
    void seriesRegisteredBetweenCollectionsStartsAtItsRegistration() {
        EngineMetricProducer delta = EngineMetricProducer.builder(engine).temporality(AggregationTemporality.DELTA).build();
        delta.produce(Resource.empty());
        clock.advance(Duration.ofMillis(3_000));
        engine.counter("late").register().labels().add(5);
        EngineWait.counter(engine, "late", 5);
        clock.advance(Duration.ofMillis(2_000));
        DoublePointData late = only(Collected.metric(delta.produce(Resource.empty()), "late").getDoubleSumData().getPoints());
        assertEquals(5.0, late.getValue());
        assertEquals(nanos(T0 + 3_000), late.getStartEpochNanos());
        clock.advance(Duration.ofMillis(1_000));
        DoublePointData idle = only(Collected.metric(delta.produce(Resource.empty()), "late").getDoubleSumData().getPoints());
        assertEquals(0.0, idle.getValue());
        assertEquals(nanos(T0 + 5_000), idle.getStartEpochNanos());
        assertFalse(idle.getAttributes().equals(Attributes.builder().put("x", "y").build()));
    }

    /** What an explicit histogram with these bounds counts for exactly these values (HDR error aside: see below). */
    private static List<Long> expectedBuckets(long[] nanos, List<Double> bounds) {
        long[] counts = new long[bounds.size() + 1];
        for (long value : nanos) {
            // Random values are continuous, so none falls within one HDR bucket (0.78%) below a bound here with
            // more than negligible probability; seed 42 is checked to have none.
            double seconds = value / 1e9;
            int bucket = 0;
            while (bucket < bounds.size() && bounds.get(bucket) < seconds) {
                bucket++;
            }
            counts[bucket]++;
        }
        List<Long> result = new ArrayList<>();
        for (long count : counts) {
            result.add(count);
        }
        return result;
    }

    private static List<Long> add(List<Long> totals, List<Long> counts) {
        List<Long> result = new ArrayList<>(counts);
        if (totals != null) {
            for (int i = 0; i < result.size(); i++) {
                result.set(i, result.get(i) + totals.get(i));
            }
        }
        return result;
    }

    private static <T> T only(Collection<T> points) {
        assertEquals(1, points.size(), () -> "expected one point: " + points);
        return points.iterator().next();
    }
}
