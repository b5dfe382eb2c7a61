package io.streammetrics.prometheus;

import io.prometheus.metrics.config.ExporterProperties;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBucket;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.NativeHistogramBucket;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.HistogramFamily;
import io.streammetrics.metric.TimerFamily;
import io.streammetrics.testing.TestClock;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PrometheusCollector#collect()}, which streams the store, gives sample for sample what the former
 * conversion of a whole {@code MetricsSnapshot} ({@link SnapshotConversion}) gave: classic families (the store's
 * counts), native-and-classic ones, native only, summaries over a moving window, bounds the exporter overrides,
 * counters, gauges (callbacks too), overflow series, odd label values, a family without series, one whose name is
 * taken, and the engine's self-metrics; native buckets bounded by default, by a family's own settings, and not. Compared as client_java's model (every field of every data point) and as
 * the bytes of client_java's protobuf and OpenMetrics writers.
 */
class CollectorStreamingTest {
    private static final long T0 = 1_764_000_000_000L;

    @Test
    void streamedCollectEqualsTheSnapshotConversion() throws IOException {
        TestClock clock = new TestClock(T0);
        Random random = new Random(11);
        try (MetricsEngine engine = MetricsEngine.builder().backPressure(BackPressure.BLOCK).clock(clock)
                .jvmMetrics(false).build().start()) {
            ExampleMetrics.populate(engine);
            TimerFamily classic = engine.timer("eq_classic").help("Classic, own bounds.").labelNames("shard")
                    .register();
            HistogramFamily both = engine.histogram("eq_both").help("Both, own bounds.").labelNames("k")
                    .cardinalityLimit(3).classicUpperBounds(10, 100, 1000).register();
            TimerFamily nativeOnly = engine.timer("eq_native").help("Native only.").register();
            TimerFamily window = engine.timer("eq_window").help("Summary.").labelNames("stage").register();
            HistogramFamily overriddenBoth = engine.histogram("eq_overridden_both").help("Both, other bounds.")
                    .classicUpperBounds(10, 100, 1000).register();
            TimerFamily overriddenClassic = engine.timer("eq_overridden_classic").help("Classic, other bounds.")
                    .register();
            HistogramFamily noBounds = engine.histogram("eq_no_bounds").help("Classic, +Inf only.").register();
            AtomicLong callback = new AtomicLong(5);
            engine.gauge("eq_callback").help("Callback.").labelNames("c").register()
                    .callback(callback::get, ExampleMetrics.NASTY);
            engine.gauge("eq_no_series").labelNames("x").register();
            engine.gauge("eq_taken").unit(io.streammetrics.common.Unit.BYTES).register().labels().set(1);
            engine.gauge("eq_taken_bytes").register().labels().set(2);
            classic.labels("idle");
            both.labels("empty");
            window.labels("idle");

            Function<MetricsEngine, PrometheusCollector> config = e -> PrometheusCollector.builder(e)
                    .histogramMode("eq_classic", HistogramMode.CLASSIC)
                    .histogramMode("eq_native", HistogramMode.NATIVE)
                    .histogramMode("eq_overridden_classic", HistogramMode.CLASSIC)
                    .histogramMode("eq_no_bounds", HistogramMode.CLASSIC)
                    .classicBuckets("eq_overridden_both", 5, 50, 500, 5000)
                    .classicBuckets("eq_overridden_classic", 0.000_1, 0.001, 0.003, 0.01, 1)
                    .classicBuckets("eq_no_bounds")
                    .summary("eq_window", Duration.ofSeconds(60), 6)
                    // Native settings: the default (160 buckets from schema 7) for eq_native, a family's own for
                    // eq_both (values 0..3 in the zero bucket), no limit for eq_overridden_both.
                    .nativeMaxNumberOfBuckets("eq_both", 20)
                    .nativeInitialSchema("eq_both", 4)
                    .nativeMinZeroThreshold("eq_both", 3.0)
                    .nativeMaxNumberOfBuckets("eq_overridden_both", 0)
                    .build();
            PrometheusCollector reference = config.apply(engine);
            PrometheusCollector streaming = config.apply(engine);

            int compared = 0;
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 2_000; i++) {
                    long nanos = (long) (2e5 * Math.exp(random.nextGaussian() * 2));
                    classic.labels("s" + random.nextInt(3)).record(nanos);
                    nativeOnly.labels().record(nanos);
                    window.labels("parse").record(nanos);
                    overriddenClassic.labels().record(nanos);
                    long value = random.nextInt(20) == 0 ? 0 : (long) Math.exp(random.nextDouble() * 9);
                    both.labels("k" + random.nextInt(5)).record(value);
                    overriddenBoth.labels().record(value);
                    noBounds.labels().record(value);
                }
                callback.addAndGet(3);
                boolean last = round == 2;
                if (last) {
                    // Closed: reads no longer publish callback samples, so the self-metrics stay put between the
                    // two reads and are compared too.
                    engine.close();
                }
                MetricSnapshots expected = SnapshotConversion.convert(reference, engine.snapshot());
                MetricSnapshots actual = streaming.collect();
                Predicate<String> compare = last ? name -> true : name -> !name.startsWith("streammetrics_");
                compared += assertSameSnapshots(expected, actual, compare, "round " + round);
                assertEquals(reference.skippedFamilies(), streaming.skippedFamilies(), "round " + round);
                clock.advance(Duration.ofSeconds(35));
            }
            assertEquals(3, streaming.skippedFamilies(), "eq_taken_bytes, once a round");
            assertTrue(compared > 120, "families and data points compared: " + compared);
        }
    }

    /** Asserts the same families and data points field by field, and the same protobuf and OpenMetrics bytes. */
    private static int assertSameSnapshots(MetricSnapshots expected, MetricSnapshots actual, Predicate<String> names,
                                           String context) throws IOException {
        MetricSnapshots wanted = filter(expected, names);
        MetricSnapshots got = filter(actual, names);
        List<String> expectedLines = describe(wanted);
        assertEquals(String.join("\n", expectedLines), String.join("\n", describe(got)), context);
        ExpositionFormats formats = ExpositionFormats.init(
                ExporterProperties.builder().includeCreatedTimestamps(true).build());
        assertArrayEquals(write(formats, wanted, true), write(formats, got, true), context + ": protobuf");
        assertArrayEquals(write(formats, wanted, false), write(formats, got, false), context + ": OpenMetrics");
        for (String kind : new String[] {"classic=", "native=", "quantiles=", "overflow"}) {
            assertTrue(expectedLines.stream().anyMatch(line -> line.contains(kind)), context + ": no " + kind);
        }
        return expectedLines.size();
    }

    private static MetricSnapshots filter(MetricSnapshots snapshots, Predicate<String> names) {
        List<MetricSnapshot> kept = new ArrayList<>();
        for (MetricSnapshot snapshot : snapshots) {
            if (names.test(snapshot.getMetadata().getPrometheusName())) {
                kept.add(snapshot);
            }
        }
        return new MetricSnapshots(kept);
    }

    private static byte[] write(ExpositionFormats formats, MetricSnapshots snapshots, boolean protobuf)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        (protobuf ? formats.getPrometheusProtobufWriter() : formats.getOpenMetricsTextFormatWriter())
                .write(out, snapshots);
        return out.toByteArray();
    }

    /** One line per family and per data point, with every field client_java's model holds. */
    private static List<String> describe(MetricSnapshots snapshots) {
        List<String> lines = new ArrayList<>();
        for (MetricSnapshot snapshot : snapshots) {
            lines.add(snapshot.getClass().getSimpleName() + " " + snapshot.getMetadata().getName() + " help="
                    + snapshot.getMetadata().getHelp() + " unit=" + snapshot.getMetadata().getUnit());
            for (DataPointSnapshot point : snapshot.getDataPoints()) {
                lines.add("  " + point.getLabels() + " created=" + point.getCreatedTimestampMillis()
                        + " scraped=" + point.getScrapeTimestampMillis() + " " + values(point));
            }
        }
        return lines;
    }

    private static String values(DataPointSnapshot point) {
        if (point instanceof CounterSnapshot.CounterDataPointSnapshot) {
            CounterSnapshot.CounterDataPointSnapshot counter = (CounterSnapshot.CounterDataPointSnapshot) point;
            return "value=" + counter.getValue() + " exemplar=" + counter.getExemplar();
        }
        if (point instanceof GaugeSnapshot.GaugeDataPointSnapshot) {
            GaugeSnapshot.GaugeDataPointSnapshot gauge = (GaugeSnapshot.GaugeDataPointSnapshot) point;
            return "value=" + gauge.getValue() + " exemplar=" + gauge.getExemplar();
        }
        if (point instanceof SummarySnapshot.SummaryDataPointSnapshot) {
            SummarySnapshot.SummaryDataPointSnapshot summary = (SummarySnapshot.SummaryDataPointSnapshot) point;
            StringBuilder quantiles = new StringBuilder();
            for (Quantile q : summary.getQuantiles()) {
                quantiles.append(q.getQuantile()).append(':').append(q.getValue()).append(' ');
            }
            return "count=" + summary.getCount() + " sum=" + summary.getSum() + " quantiles=" + quantiles
                    + "exemplars=" + summary.getExemplars().size();
        }
        HistogramSnapshot.HistogramDataPointSnapshot histogram = (HistogramSnapshot.HistogramDataPointSnapshot) point;
        StringBuilder text = new StringBuilder("count=").append(histogram.getCount())
                .append(" sum=").append(histogram.getSum())
                .append(" exemplars=").append(histogram.getExemplars().size());
        if (histogram.hasClassicHistogramData()) {
            text.append(" classic=");
            for (ClassicHistogramBucket bucket : histogram.getClassicBuckets()) {
                text.append(bucket.getUpperBound()).append(':').append(bucket.getCount()).append(' ');
            }
        }
        if (histogram.hasNativeHistogramData()) {
            text.append(" native=").append(histogram.getNativeSchema())
                    .append(" zero=").append(histogram.getNativeZeroCount())
                    .append('@').append(histogram.getNativeZeroThreshold())
                    .append(" positive=").append(nativeBuckets(histogram.getNativeBucketsForPositiveValues()))
                    .append(" negative=").append(nativeBuckets(histogram.getNativeBucketsForNegativeValues()));
        }
        return text.toString();
    }

    private static String nativeBuckets(NativeHistogramBuckets buckets) {
        StringBuilder text = new StringBuilder("[");
        for (NativeHistogramBucket bucket : buckets) {
            text.append(bucket.getBucketIndex()).append(':').append(bucket.getCount()).append(' ');
        }
        return text.append(']').toString();
    }
}
