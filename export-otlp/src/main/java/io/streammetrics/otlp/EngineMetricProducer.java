package io.streammetrics.otlp;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.resources.Resource;
import io.streammetrics.MetricsEngine;
import io.streammetrics.common.MetricType;
import io.streammetrics.internal.exponential.ExponentialBucketMapping;
import io.streammetrics.internal.exponential.ExponentialBuckets;
import io.streammetrics.internal.exponential.ExponentialScale;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.FamilySnapshot;
import io.streammetrics.snapshot.GaugePoint;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.snapshot.SeriesPoint;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Bridges a {@link MetricsEngine} into the OpenTelemetry SDK: register it with
 * {@code SdkMeterProviderBuilder.registerMetricProducer(...)} and every reader of that provider (a
 * {@code PeriodicMetricReader} with an OTLP exporter, typically) exports the engine's families along with the SDK's
 * own instruments; the SDK does transport, batching, retries, compression and TLS. {@link OtlpExporter} wires this
 * up for the common case.
 *
 * <p><b>Mapping.</b> Counters become monotonic Sums of doubles (counters accept fractional increments, and Prometheus
 * users expect float counters; integer totals are exact up to 2^53), named without {@code _total}. Gauges become
 * double Gauges. Histograms and timers become explicit-bucket Histograms (by default the classic upper bounds the
 * family declared at registration, as Prometheus scrapes show them; or per family, {@link HistogramFormat}) or
 * base-2 Exponential Histograms ({@link HistogramFormat#exponential(int, int)}: at most 160 buckets by default, the
 * scale lowered until the populated range fits, through the core's {@link ExponentialBucketMapping}, which the
 * Prometheus exporter's native histograms share), with count, sum, min and max; timers record nanoseconds and export
 * seconds. Labels become attributes; the overflow series carries {@code otel.metric.overflow=true}.
 * Units become UCUM ({@code s}, {@code By}, ...). A point's time is the snapshot's.
 *
 * <p><b>Temporality.</b> {@link AggregationTemporality#CUMULATIVE} by default, with each series' registration time
 * as start time. With {@link AggregationTemporality#DELTA} the producer keeps the previous collection's points and
 * exports exact differences (counter totals, histogram count, sum and every bucket), with the previous collection's
 * time as start time; delta histograms carry min and max only for an interval that starts from an empty series. A
 * delta producer must have exactly one reader: each {@link #produce} call starts a new interval.
 */
public final class EngineMetricProducer implements MetricProducer {
    /** The attribute that marks the series taking label sets beyond a family's cardinality limit. */
    public static final AttributeKey<Boolean> OVERFLOW_ATTRIBUTE = AttributeKey.booleanKey("otel.metric.overflow");

    private static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.builder("io.streammetrics").build();
    private static final double NANOS_PER_SECOND = 1e9;

    private final MetricsEngine engine;
    private final AggregationTemporality temporality;
    private final HistogramFormat defaultFormat;
    private final Map<String, HistogramFormat> formats;
    private final Map<String, double[]> boundaries = new HashMap<>();
    private final Map<Integer, Attributes> attributes = new HashMap<>();
    /** By unit divisor and finest scale; used under {@link #produce}'s lock, as is the holder below. */
    private final Map<MappingKey, ExponentialBucketMapping> exponentialMappings = new HashMap<>();
    private final ExponentialBuckets exponentialBuckets = new ExponentialBuckets();
    /** DELTA only: each series' point at the previous collection, by series id. */
    private Map<Integer, SeriesPoint> previous = new HashMap<>();
    private long previousEpochNanos;

    private EngineMetricProducer(Builder builder) {
        this.engine = builder.engine;
        this.temporality = builder.temporality;
        this.defaultFormat = builder.defaultFormat;
        this.formats = Map.copyOf(builder.formats);
    }

    /** A builder for a producer over {@code engine}. */
    public static Builder builder(MetricsEngine engine) {
        return new Builder(engine);
    }

    /** A cumulative producer with default histogram formats. */
    public static EngineMetricProducer create(MetricsEngine engine) {
        return builder(engine).build();
    }

    /** The engine this producer reads. */
    public MetricsEngine engine() {
        return engine;
    }

    /** The temporality of the Sums and Histograms this producer makes. */
    public AggregationTemporality temporality() {
        return temporality;
    }

    /**
     * Takes one engine snapshot and converts every family. Synchronized: readers may collect concurrently (a
     * periodic export racing a {@code forceFlush}), and the delta state must advance one collection at a time.
     */
    @Override
    public synchronized Collection<MetricData> produce(Resource resource) {
        MetricsSnapshot snapshot = engine.snapshot();
        long epochNanos = TimeUnit.MILLISECONDS.toNanos(snapshot.timestampMillis());
        boolean delta = temporality == AggregationTemporality.DELTA;
        Map<Integer, SeriesPoint> seen = delta ? new HashMap<>() : null;
        List<MetricData> result = new ArrayList<>(snapshot.families().size());
        for (FamilySnapshot family : snapshot.families()) {
            if (family.points().isEmpty()) {
                continue;
            }
            result.add(convert(resource, family, epochNanos, seen));
        }
        if (delta) {
            previous = seen;
            previousEpochNanos = epochNanos;
        }
        return result;
    }

    private MetricData convert(Resource resource, FamilySnapshot family, long epochNanos, Map<Integer, SeriesPoint> seen) {
        String unit = OtlpUnits.of(family.type(), family.unit());
        switch (family.type()) {
            case COUNTER: {
                List<DoublePointData> points = new ArrayList<>(family.points().size());
                for (SeriesPoint p : family.points()) {
                    CounterPoint point = (CounterPoint) p;
                    CounterPoint before = (CounterPoint) previousOf(point, seen);
                    double value = before == null ? point.value() : counterDelta(point, before);
                    long start = startNanos(point, before);
                    points.add(DoublePointData.create(start, epochNanos, attributes(family, point), value,
                            OtlpExemplars.of(point.exemplars(), 1, start)));
                }
                return new OtlpMetricData(resource, SCOPE, family.name(), family.help(), unit, MetricDataType.DOUBLE_SUM,
                        SumData.createDoubleSumData(true, temporality, points));
            }
            case GAUGE: {
                List<DoublePointData> points = new ArrayList<>(family.points().size());
                for (SeriesPoint p : family.points()) {
                    GaugePoint point = (GaugePoint) p;
                    points.add(DoublePointData.create(startNanos(point, null), epochNanos, attributes(family, point),
                            point.value(), List.of()));
                }
                return new OtlpMetricData(resource, SCOPE, family.name(), family.help(), unit,
                        MetricDataType.DOUBLE_GAUGE, GaugeData.createDoubleGaugeData(points));
            }
            default:
                return histogram(resource, family, unit, epochNanos, seen);
        }
    }

    private MetricData histogram(Resource resource, FamilySnapshot family, String unit, long epochNanos,
                                 Map<Integer, SeriesPoint> seen) {
        double scale = family.type() == MetricType.TIMER ? NANOS_PER_SECOND : 1;
        HistogramFormat format = formats.getOrDefault(family.name(), defaultFormat);
        if (format.isExponential()) {
            ExponentialBucketMapping mapping = exponentialMapping(scale, format.maxScale());
            List<ExponentialHistogramPointData> points = new ArrayList<>(family.points().size());
            for (SeriesPoint p : family.points()) {
                HistogramPoint point = (HistogramPoint) p;
                HistogramPoint before = (HistogramPoint) previousOf(point, seen);
                HistogramValues values = before == null ? HistogramValues.cumulative(point)
                        : HistogramValues.delta(point, before);
                mapping.map(values, format.maxBuckets(), exponentialBuckets);
                int expScale = exponentialBuckets.scale();
                points.add(ExponentialHistogramPointData.create(expScale, values.sum / scale,
                        exponentialBuckets.zeroCount(), values.hasMinMax, values.min / scale, values.hasMinMax,
                        values.max / scale, OtlpExponentialBuckets.of(exponentialBuckets),
                        OtlpExponentialBuckets.empty(expScale), startNanos(point, before), epochNanos,
                        attributes(family, point), OtlpExemplars.of(point.exemplars(), scale, startNanos(point, before))));
            }
            return new OtlpMetricData(resource, SCOPE, family.name(), family.help(), unit,
                    MetricDataType.EXPONENTIAL_HISTOGRAM, ExponentialHistogramData.create(temporality, points));
        }
        double[] bounds = boundaries.computeIfAbsent(family.name(), name -> {
            double[] configured = format.boundaries();
            return configured != null ? configured : family.classicUpperBounds();
        });
        List<Double> boundList = new ArrayList<>(bounds.length);
        for (double bound : bounds) {
            boundList.add(bound);
        }
        List<HistogramPointData> points = new ArrayList<>(family.points().size());
        for (SeriesPoint p : family.points()) {
            HistogramPoint point = (HistogramPoint) p;
            HistogramPoint before = (HistogramPoint) previousOf(point, seen);
            HistogramValues values = before == null ? HistogramValues.cumulative(point)
                    : HistogramValues.delta(point, before);
            long[] counts = ExplicitBucketMapping.counts(values, bounds, scale);
            List<Long> countList = new ArrayList<>(counts.length);
            for (long count : counts) {
                countList.add(count);
            }
            long start = startNanos(point, before);
            points.add(HistogramPointWithExemplars.of(HistogramPointData.create(start, epochNanos,
                    attributes(family, point), values.sum / scale, values.hasMinMax, values.min / scale,
                    values.hasMinMax, values.max / scale, boundList, countList),
                    OtlpExemplars.of(point.exemplars(), scale, start)));
        }
        return new OtlpMetricData(resource, SCOPE, family.name(), family.help(), unit, MetricDataType.HISTOGRAM,
                HistogramData.create(temporality, points));
    }

    /**
     * The exponential bucket mapping of a unit (timers' or other histograms') and finest scale, made on first use and
     * kept (a table of a few thousand entries; see {@link ExponentialBucketMapping}). Only values HDR cannot tell
     * from 0 are in the zero bucket, as OTLP's zero count means exactly 0 to most receivers.
     */
    private ExponentialBucketMapping exponentialMapping(double scale, int maxScale) {
        return exponentialMappings.computeIfAbsent(new MappingKey(scale, maxScale), key -> new ExponentialBucketMapping(
                engine.histogramLayout(), scale, maxScale, ExponentialScale.MIN_SCALE, 0));
    }

    /** What tells two exponential bucket mappings apart. */
    private record MappingKey(double divisor, int maxScale) {
    }

    /** DELTA: records {@code point} for the next collection and returns the previous collection's, if any. */
    private SeriesPoint previousOf(SeriesPoint point, Map<Integer, SeriesPoint> seen) {
        if (seen == null) {
            return null;
        }
        seen.put(point.seriesId(), point);
        return previous.get(point.seriesId());
    }

    /** Cumulative: the series' registration; delta: the previous collection if the series was in it. */
    private long startNanos(SeriesPoint point, SeriesPoint before) {
        return before != null ? previousEpochNanos : TimeUnit.MILLISECONDS.toNanos(point.createdMillis());
    }

    /**
     * The increase of a counter between two collections. When both totals are integers (no fractional increment
     * so far) the difference of the exact long totals is taken, exact beyond 2^53 too.
     */
    private static double counterDelta(CounterPoint now, CounterPoint before) {
        if (now.value() == (double) now.longValue() && before.value() == (double) before.longValue()) {
            return (double) (now.longValue() - before.longValue());
        }
        return now.value() - before.value();
    }

    private Attributes attributes(FamilySnapshot family, SeriesPoint point) {
        // Label values of a series never change, so build each series' attributes once.
        return attributes.computeIfAbsent(point.seriesId(), id -> {
            if (point.isOverflow()) {
                return Attributes.of(OVERFLOW_ATTRIBUTE, true);
            }
            AttributesBuilder builder = Attributes.builder();
            List<String> names = family.labelNames();
            for (int i = 0; i < names.size(); i++) {
                builder.put(names.get(i), point.labelValues().get(i));
            }
            return builder.build();
        });
    }

    /** Builds an {@link EngineMetricProducer}. */
    public static final class Builder {
        private final MetricsEngine engine;
        private AggregationTemporality temporality = AggregationTemporality.CUMULATIVE;
        private HistogramFormat defaultFormat = HistogramFormat.explicitBuckets();
        private final Map<String, HistogramFormat> formats = new HashMap<>();

        private Builder(MetricsEngine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
        }

        /** CUMULATIVE (the default) or DELTA. */
        public Builder temporality(AggregationTemporality temporality) {
            this.temporality = Objects.requireNonNull(temporality, "temporality");
            return this;
        }

        /** The format of histogram and timer families without one of their own (default explicit, by unit). */
        public Builder defaultHistogramFormat(HistogramFormat format) {
            this.defaultFormat = Objects.requireNonNull(format, "format");
            return this;
        }

        /** The format of one histogram or timer family, by family name. */
        public Builder histogramFormat(String family, HistogramFormat format) {
            formats.put(Objects.requireNonNull(family, "family"), Objects.requireNonNull(format, "format"));
            return this;
        }

        /** The producer. */
        public EngineMetricProducer build() {
            return new EngineMetricProducer(this);
        }
    }
}
