package io.streammetrics.otlp;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.streammetrics.MetricsEngine;
import io.streammetrics.common.Unit;
import io.streammetrics.internal.exponential.ExponentialScale;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.CounterFamily;
import io.streammetrics.metric.Histogram;
import io.streammetrics.metric.Timer;
import io.streammetrics.testing.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every metric type through the SDK (registered producer, collected by a reader), checked field by field. */
class ProducerMappingTest {
    private static final long T0 = 1_700_000_000_000L;
    private final TestClock clock = new TestClock(T0);
    private final MetricsEngine engine = MetricsEngine.builder().clock(clock).build().start();
    private SdkMeterProvider provider;

    @AfterEach
    void close() {
        if (provider != null) {
            provider.close();
        }
        engine.close();
    }

    private Collection<MetricData> collect(EngineMetricProducer producer) {
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        provider = SdkMeterProvider.builder().registerMetricReader(reader).registerMetricProducer(producer).build();
        return reader.collectAllMetrics();
    }

    private static long nanos(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void counterIsMonotonicCumulativeDoubleSumWithLabelsAsAttributes() {
        Counter parse = engine.counter("records_processed_total").help("Records processed.").labelNames("stage")
                .register().labels("parse");
        clock.advance(Duration.ofMillis(5_000));
        parse.add(41);
        parse.add(1.5);
        EngineWait.counter(engine, "records_processed", 42.5, "parse");
        Collection<MetricData> metrics = collect(EngineMetricProducer.create(engine));

        MetricData metric = Collected.metric(metrics, "records_processed");
        assertEquals(MetricDataType.DOUBLE_SUM, metric.getType());
        assertEquals("Records processed.", metric.getDescription());
        assertEquals("", metric.getUnit());
        assertTrue(metric.getDoubleSumData().isMonotonic());
        assertEquals(AggregationTemporality.CUMULATIVE, metric.getDoubleSumData().getAggregationTemporality());
        DoublePointData point = Collected.point(metric.getDoubleSumData().getPoints(),
                Attributes.of(AttributeKey.stringKey("stage"), "parse"));
        assertEquals(42.5, point.getValue());
        assertEquals(nanos(T0), point.getStartEpochNanos(), "start = series registration");
        assertEquals(nanos(T0 + 5_000), point.getEpochNanos(), "time = snapshot");
        assertEquals("io.streammetrics", metric.getInstrumentationScopeInfo().getName());
    }

    @Test
    void gaugeIsDoubleGaugeWithUnit() {
        engine.gauge("queue_size_bytes").help("Queue size.").unit(Unit.BYTES).labelNames("queue").register()
                .labels("in").set(1024);
        EngineWait.gauge(engine, "queue_size_bytes", 1024, "in");
        Collection<MetricData> metrics = collect(EngineMetricProducer.create(engine));

        MetricData metric = Collected.metric(metrics, "queue_size_bytes");
        assertEquals(MetricDataType.DOUBLE_GAUGE, metric.getType());
        assertEquals("By", metric.getUnit());
        DoublePointData point = Collected.point(metric.getDoubleGaugeData().getPoints(),
                Attributes.of(AttributeKey.stringKey("queue"), "in"));
        assertEquals(1024.0, point.getValue());
    }

    @Test
    void timerIsExplicitHistogramInSecondsWithDefaultBuckets() {
        Timer timer = engine.timer("processing_latency").help("Latency.").register().labels();
        timer.record(3_000_000);      // 3 ms
        timer.record(3_000_000);
        timer.record(200_000_000);    // 200 ms
        timer.record(20_000_000_000L); // 20 s: above the last bound
        EngineWait.histogramCount(engine, "processing_latency", 4);
        Collection<MetricData> metrics = collect(EngineMetricProducer.create(engine));

        MetricData metric = Collected.metric(metrics, "processing_latency");
        assertEquals(MetricDataType.HISTOGRAM, metric.getType());
        assertEquals("s", metric.getUnit());
        HistogramPointData point = metric.getHistogramData().getPoints().iterator().next();
        assertEquals(List.of(.005, .01, .025, .05, .1, .25, .5, 1.0, 2.5, 5.0, 10.0), point.getBoundaries());
        assertEquals(List.of(2L, 0L, 0L, 0L, 0L, 1L, 0L, 0L, 0L, 0L, 0L, 1L), point.getCounts());
        assertEquals(4, point.getCount());
        assertEquals(20.206, point.getSum(), 1e-12);
        assertTrue(point.hasMin());
        assertEquals(0.003, point.getMin(), 1e-15);
        assertEquals(20.0, point.getMax(), 1e-15);
        assertEquals(Attributes.empty(), point.getAttributes());
    }

    @Test
    void boundsDeclaredOnTheFamilyAreItsExplicitBoundaries() {
        Timer timer = engine.timer("declared_latency").classicUpperBounds(0.001, 0.01).register().labels();
        timer.record(500_000);
        timer.record(5_000_000);
        timer.record(50_000_000);
        EngineWait.histogramCount(engine, "declared_latency", 3);
        HistogramPointData point = Collected.metric(collect(EngineMetricProducer.create(engine)), "declared_latency")
                .getHistogramData().getPoints().iterator().next();
        assertEquals(List.of(0.001, 0.01), point.getBoundaries());
        assertEquals(List.of(1L, 1L, 1L), point.getCounts());
    }

    @Test
    void histogramDefaultBucketsFollowTheUnitAndCanBeConfiguredPerFamily() {
        Histogram payload = engine.histogram("payload_size").unit(Unit.BYTES).register().labels();
        Histogram batch = engine.histogram("batch_size").register().labels();
        Histogram custom = engine.histogram("custom").register().labels();
        payload.record(100);
        batch.record(7);
        custom.record(7);
        custom.record(8);
        EngineWait.histogramCount(engine, "payload_size", 1);
        EngineWait.histogramCount(engine, "batch_size", 1);
        EngineWait.histogramCount(engine, "custom", 2);
        EngineMetricProducer producer = EngineMetricProducer.builder(engine)
                .histogramFormat("custom", HistogramFormat.explicitBuckets(7, 20)).build();
        Collection<MetricData> metrics = collect(producer);

        HistogramPointData bytes = Collected.metric(metrics, "payload_size").getHistogramData().getPoints().iterator().next();
        assertEquals(64.0, bytes.getBoundaries().get(0));
        assertEquals(256.0, bytes.getBoundaries().get(1));
        assertEquals(64.0 * 1024 * 1024, bytes.getBoundaries().get(bytes.getBoundaries().size() - 1));
        assertEquals(1L, bytes.getCounts().get(1), "100 B is in (64, 256]");

        HistogramPointData plain = Collected.metric(metrics, "batch_size").getHistogramData().getPoints().iterator().next();
        assertEquals(List.of(1.0, 10.0, 100.0), plain.getBoundaries().subList(0, 3));
        assertEquals(1L, plain.getCounts().get(1), "7 is in (1, 10]");

        HistogramPointData configured = Collected.metric(metrics, "custom").getHistogramData().getPoints().iterator().next();
        assertEquals(List.of(7.0, 20.0), configured.getBoundaries());
        assertEquals(List.of(1L, 1L, 0L), configured.getCounts(), "upper-inclusive: 7 in (-inf, 7], 8 in (7, 20]");
    }

    @Test
    void exponentialHistogramAtScaleSevenWithZeroCount() {
        Histogram histogram = engine.histogram("sizes").register().labels();
        histogram.record(0);
        histogram.record(1);
        histogram.record(1000);
        histogram.record(1000);
        EngineWait.histogramCount(engine, "sizes", 4);
        // 1 to 1000 at scale 7 is 1,277 buckets: room for them.
        EngineMetricProducer producer = EngineMetricProducer.builder(engine)
                .histogramFormat("sizes", HistogramFormat.exponential(1_300, 20)).build();
        Collection<MetricData> metrics = collect(producer);

        MetricData metric = Collected.metric(metrics, "sizes");
        assertEquals(MetricDataType.EXPONENTIAL_HISTOGRAM, metric.getType());
        ExponentialHistogramPointData point = metric.getExponentialHistogramData().getPoints().iterator().next();
        assertEquals(7, point.getScale());
        assertEquals(4, point.getCount());
        assertEquals(1, point.getZeroCount());
        assertEquals(2001.0, point.getSum());
        assertEquals(0.0, point.getMin());
        assertEquals(1000.0, point.getMax());
        // 1 = 2^0 lies in (2^(-1/128), 2^0]: bucket -1. 1000 in bucket floor(log2(1000) * 128) = 1275.
        assertEquals(-1, point.getPositiveBuckets().getOffset());
        List<Long> counts = point.getPositiveBuckets().getBucketCounts();
        assertEquals(1277, counts.size());
        assertEquals(1L, counts.get(0));
        assertEquals(1275, ExponentialScale.indexOf(1000, 7));
        assertEquals(2L, counts.get(1275 - point.getPositiveBuckets().getOffset()));
        assertEquals(3L, counts.stream().mapToLong(Long::longValue).sum());
        assertEquals(3L, point.getPositiveBuckets().getTotalCount());
        assertTrue(point.getNegativeBuckets().getBucketCounts().isEmpty());
        assertEquals(7, point.getNegativeBuckets().getScale());

        // The default, 160 buckets: 1,277 do not fit at scale 4 (161), they do at scale 3 (1 in bucket -1, 1000 in
        // 159 >> 1 = 79): the pairs merged as OTLP defines it.
        point = Collected.metric(collect(EngineMetricProducer.builder(engine)
                        .histogramFormat("sizes", HistogramFormat.exponential()).build()), "sizes")
                .getExponentialHistogramData().getPoints().iterator().next();
        assertEquals(3, point.getScale());
        assertEquals(-1, point.getPositiveBuckets().getOffset());
        counts = point.getPositiveBuckets().getBucketCounts();
        assertEquals(81, counts.size());
        assertEquals(List.of(1L, 2L), List.of(counts.get(0), counts.get(80)));
        assertEquals(1, point.getZeroCount());
    }

    @Test
    void producerSharesAnExistingMeterProviderWithSdkInstruments() {
        engine.counter("engine_events").register().labels().add(3);
        EngineWait.counter(engine, "engine_events", 3);
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        provider = SdkMeterProvider.builder().registerMetricReader(reader)
                .registerMetricProducer(EngineMetricProducer.create(engine)).build();
        provider.get("app").counterBuilder("sdk_events").build().add(4);
        Collection<MetricData> metrics = reader.collectAllMetrics();
        assertEquals(3.0, Collected.metric(metrics, "engine_events").getDoubleSumData().getPoints().iterator().next().getValue());
        assertEquals(4L, Collected.metric(metrics, "sdk_events").getLongSumData().getPoints().iterator().next().getValue());
    }

    @Test
    void overflowSeriesCarriesTheOverflowAttribute() {
        CounterFamily family = engine.counter("requests").labelNames("path").cardinalityLimit(1).register();
        family.labels("/a").increment();
        family.labels("/b").add(2);
        family.labels("/c").add(3);
        EngineWait.counter(engine, "requests", 1, "/a");
        Poll.until(java.time.Duration.ofSeconds(20), () -> engine.snapshot().family("requests").overflowPoint() instanceof
                io.streammetrics.snapshot.CounterPoint p && p.value() == 5, () -> "overflow = 5");
        Collection<MetricData> metrics = collect(EngineMetricProducer.create(engine));

        Collection<DoublePointData> points = Collected.metric(metrics, "requests").getDoubleSumData().getPoints();
        assertEquals(1.0, Collected.point(points, Attributes.of(AttributeKey.stringKey("path"), "/a")).getValue());
        DoublePointData overflow = Collected.point(points, Attributes.of(EngineMetricProducer.OVERFLOW_ATTRIBUTE, true));
        assertEquals(5.0, overflow.getValue());
        assertFalse(overflow.getAttributes().asMap().containsKey(AttributeKey.stringKey("path")));
    }
}
