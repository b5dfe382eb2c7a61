package io.streammetrics.prometheus;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplar;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.streammetrics.internal.exponential.ExponentialBucketMapping;
import io.streammetrics.internal.exponential.ExponentialBuckets;
import io.streammetrics.internal.exponential.ExponentialScale;
import io.streammetrics.metadata.FamilyMetadata;
import io.streammetrics.metadata.SeriesMetadata;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.SeriesCursor;
import io.streammetrics.snapshot.SeriesVisitor;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@link PrometheusCollector#collect()}: the renderer into client_java's model, which client_java's writers turn
 * into protobuf (native histograms), or either text format when the store writer is off. Visits the store
 * ({@link SeriesVisitor}) and builds client_java's snapshots family by family, as the {@link FamilyPlan}s say,
 * without a {@code MetricsSnapshot} in between. A histogram is read through {@link ClassicCounts}: only count, sum
 * and the store's classic counts for classic buckets of the family's own bounds; else its HDR buckets, into the
 * cursor's reusable holder, mapped onto the classic and native buckets (with the store's classic counts from the
 * same read where those apply, so that both representations agree on the count, as client_java requires). Per
 * series, only what client_java's model needs is allocated: its data point and buckets, and the exact-length native
 * bucket arrays it copies (at most {@code nativeMaxNumberOfBuckets} long; summaries aside: their sliding window
 * copies the bucket counts). Used by one collect at a time; the collector keeps a spare one.
 */
final class ModelBuilder implements SeriesVisitor {
    private final FamilyPlans plans;
    private final ModelCache cache;
    private final NativeMappings nativeMappings;
    private final SkippedFamilies skipped;
    private final ClassicCounts classic = new ClassicCounts();
    private final ExponentialBuckets nativeBuckets = new ExponentialBuckets();
    /** Classic counts of the current family's series: exactly its bucket count long, as client_java copies it. */
    private long[] classicCounts = new long[0];

    private List<MetricSnapshot> families;
    private FamilyMetadata family;
    private FamilyPlan plan;
    private MetricMetadata metadata;
    /** The current family's plan when it is a histogram; else null. */
    private FamilyPlan.Histogram histogramPlan;
    /** The current family's, when it exports native buckets; else null. */
    private ExponentialBucketMapping nativeMapping;
    private List<DataPointSnapshot> points;
    private RuntimeException failure;
    private long timestampMillis;

    ModelBuilder(FamilyPlans plans, ModelCache cache, NativeMappings nativeMappings, SkippedFamilies skipped) {
        this.plans = plans;
        this.cache = cache;
        this.nativeMappings = nativeMappings;
        this.skipped = skipped;
    }

    void begin() {
        families = new ArrayList<>();
        family = null;
    }

    /** The snapshots of the visit, once it has returned. */
    MetricSnapshots end() {
        finishFamily();
        MetricSnapshots result = new MetricSnapshots(families);
        families = null;
        points = null;
        return result;
    }

    @Override
    public void family(FamilyMetadata family, long timestampMillis) {
        finishFamily();
        this.timestampMillis = timestampMillis;
        FamilyPlan plan = plans.forScrape(family);
        if (plan == null) {
            return;
        }
        this.family = family;
        this.plan = plan;
        this.metadata = cache.metadata(family.index(), plan);
        this.points = new ArrayList<>();
        this.failure = null;
        this.histogramPlan = plan.kind == FamilyPlan.Kind.HISTOGRAM ? (FamilyPlan.Histogram) plan : null;
        this.nativeMapping = histogramPlan != null && histogramPlan.nativeBuckets
                ? nativeMappings.get(histogramPlan.nativeMapping) : null;
        if (histogramPlan != null && histogramPlan.classic
                && classicCounts.length != histogramPlan.leBounds.length) {
            classicCounts = new long[histogramPlan.leBounds.length];
        }
    }

    @Override
    public void series(SeriesCursor cursor) {
        if (family == null || failure != null) {
            return;
        }
        try {
            points.add(dataPoint(cursor));
        } catch (RuntimeException e) {
            // Left out with its family, as a family client_java rejects is left out whole.
            failure = e;
        }
    }

    /** Adds the family's snapshot, or leaves the family out if client_java rejected any of it. */
    private void finishFamily() {
        if (family == null) {
            return;
        }
        try {
            if (failure != null) {
                throw failure;
            }
            families.add(snapshot());
        } catch (RuntimeException e) {
            skipped.count(family.name(), "client_java rejected it", e);
        }
        family = null;
    }

    @SuppressWarnings("unchecked")
    private MetricSnapshot snapshot() {
        List<?> data = points;
        switch (plan.kind) {
            case COUNTER:
                return new CounterSnapshot(metadata, (List<CounterSnapshot.CounterDataPointSnapshot>) data);
            case GAUGE:
                return new GaugeSnapshot(metadata, (List<GaugeSnapshot.GaugeDataPointSnapshot>) data);
            case HISTOGRAM:
                return new HistogramSnapshot(metadata, (List<HistogramSnapshot.HistogramDataPointSnapshot>) data);
            default:
                return new SummarySnapshot(metadata, (List<SummarySnapshot.SummaryDataPointSnapshot>) data);
        }
    }

    private DataPointSnapshot dataPoint(SeriesCursor cursor) {
        SeriesMetadata series = cursor.series();
        Labels labels = cache.labels(series);
        switch (plan.kind) {
            case COUNTER: {
                CounterSnapshot.CounterDataPointSnapshot.Builder counter = CounterSnapshot.CounterDataPointSnapshot
                        .builder()
                        .labels(labels)
                        .value(cursor.counterValue())
                        .createdTimestampMillis(series.createdMillis());
                List<io.streammetrics.exemplar.Exemplar> stored = cursor.exemplars();
                if (!stored.isEmpty()) {
                    counter.exemplar(exemplar(stored.get(0), 1));
                }
                return counter.build();
            }
            case GAUGE:
                return GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .labels(labels)
                        .value(cursor.gaugeValue())
                        .build();
            case HISTOGRAM:
                return histogram(cursor, labels, histogramPlan);
            default:
                return summary((HistogramPoint) cursor.toPoint(), labels, (FamilyPlan.Summary) plan);
        }
    }

    /**
     * A histogram's data point. Classic only: the classic counts and sum as {@link ClassicCounts#read} gives them (the
     * store's for the family's own bounds, the HDR buckets untouched). With native buckets: the HDR buckets, read once
     * for them and for the classic counts ({@link ClassicCounts#readWithBuckets}).
     */
    private HistogramSnapshot.HistogramDataPointSnapshot histogram(SeriesCursor cursor, Labels labels,
                                                                   FamilyPlan.Histogram plan) {
        if (nativeMapping == null) {
            classic.read(cursor, plan, classicCounts);
        } else {
            nativeMapping.map(classic.readWithBuckets(cursor, plan, classicCounts), plan.nativeMaxBuckets,
                    nativeBuckets);
        }
        HistogramSnapshot.HistogramDataPointSnapshot.Builder data = HistogramSnapshot.HistogramDataPointSnapshot.builder()
                .labels(labels)
                .sum(classic.sum() / plan.scale)
                .createdTimestampMillis(cursor.series().createdMillis());
        if (plan.classic) {
            data.classicHistogramBuckets(ClassicHistogramBuckets.of(plan.leBounds, classicCounts));
        }
        List<io.streammetrics.exemplar.Exemplar> stored = cursor.exemplars();
        if (!stored.isEmpty()) {
            data.exemplars(exemplars(stored, plan.scale));
        }
        if (nativeMapping != null) {
            data.nativeSchema(nativeBuckets.scale())
                    .nativeBucketsForPositiveValues(positive(nativeBuckets))
                    .nativeZeroCount(nativeBuckets.zeroCount())
                    .nativeZeroThreshold(nativeBuckets.zeroThreshold());
        }
        return data.build();
    }

    /**
     * The store's exemplars in client_java's model, each once (the newest and the largest are often a bucket's too):
     * its writers pick one per classic bucket by value, and list them all on a native histogram.
     */
    static Exemplars exemplars(List<io.streammetrics.exemplar.Exemplar> stored, double scale) {
        List<Exemplar> converted = new ArrayList<>(stored.size());
        for (io.streammetrics.exemplar.Exemplar e : io.streammetrics.exemplar.Exemplar.distinct(stored)) {
            converted.add(exemplar(e, scale));
        }
        return Exemplars.of(converted);
    }

    static Exemplar exemplar(io.streammetrics.exemplar.Exemplar e, double scale) {
        Exemplar.Builder builder = Exemplar.builder()
                .value(e.value() / scale)
                .traceId(e.traceId())
                .spanId(e.spanIdHex())
                .timestampMillis(e.timestampMillis());
        if (!e.labels().isEmpty()) {
            builder.labels(Labels.of(e.labels().keySet().toArray(new String[0]),
                    e.labels().values().toArray(new String[0])));
        }
        return builder.build();
    }

    /**
     * The non-empty buckets in client_java's model, numbered as Prometheus numbers them: exact-length arrays, which
     * it copies.
     */
    private static NativeHistogramBuckets positive(ExponentialBuckets buckets) {
        int size = buckets.nonEmptyCount();
        if (size == 0) {
            return NativeHistogramBuckets.EMPTY;
        }
        int[] indexes = new int[size];
        long[] counts = new long[size];
        int at = 0;
        for (int i = 0; i < buckets.length(); i++) {
            long count = buckets.countAt(i);
            if (count != 0) {
                indexes[at] = ExponentialScale.prometheusIndex(buckets.offset() + i);
                counts[at++] = count;
            }
        }
        return NativeHistogramBuckets.of(indexes, counts);
    }

    private SummarySnapshot.SummaryDataPointSnapshot summary(HistogramPoint point, Labels labels,
                                                             FamilyPlan.Summary plan) {
        org.HdrHistogram.Histogram window = plan.window.window(point, timestampMillis);
        Quantiles.Builder quantiles = Quantiles.builder();
        for (double q : SlidingWindowSummary.QUANTILES) {
            quantiles.quantile(new Quantile(q, SlidingWindowSummary.quantile(window, q, plan.scale)));
        }
        return SummarySnapshot.SummaryDataPointSnapshot.builder()
                .labels(labels)
                .quantiles(quantiles.build())
                .count(point.count())
                .sum(point.sum() / plan.scale)
                .createdTimestampMillis(point.createdMillis())
                .build();
    }
}
