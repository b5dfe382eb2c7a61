package io.streammetrics.prometheus;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.streammetrics.common.HistogramLayout;
import io.streammetrics.internal.exponential.ExponentialScale;
import io.streammetrics.internal.registry.NameRules;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.FamilySnapshot;
import io.streammetrics.snapshot.GaugePoint;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.snapshot.SeriesPoint;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The collector's former conversion of a whole {@link MetricsSnapshot} (every histogram's occupied HDR range copied
 * out) into client_java snapshots, kept as the reference that {@link PrometheusCollector#collect()}, which streams
 * the store instead, must match sample for sample. The code is the one {@code collect()} ran before, with the
 * collector's configuration read through its package-private accessors ({@link CollectorConfig}); native buckets are
 * computed per bucket with {@link ExponentialScale#indexOf} (rather than through the core's table) in Prometheus'
 * numbering, and lowered by merging pairs {@code (2k - 1, 2k)} as Prometheus defines it (rather than by the core's
 * shifts).
 */
final class SnapshotConversion {
    private SnapshotConversion() {
    }

    /** Converts {@code snapshot} as {@code collector} was configured; skipped families count on {@code collector}. */
    static MetricSnapshots convert(PrometheusCollector collector, MetricsSnapshot snapshot) {
        List<MetricSnapshot> result = new ArrayList<>(snapshot.families().size());
        Set<String> names = new HashSet<>();
        for (FamilySnapshot family : snapshot.families()) {
            String name = PrometheusCollector.exportedName(family.name(), family.type(), family.unit());
            if (!names.add(name)) {
                collector.skipped().count(family.name(),
                        "its exported name " + name + " is already taken by another family", null);
                continue;
            }
            try {
                result.add(convertFamily(collector, family, name, snapshot.timestampMillis()));
            } catch (RuntimeException e) {
                collector.skipped().count(family.name(), "client_java rejected it", e);
            }
        }
        return new MetricSnapshots(result);
    }

    private static MetricSnapshot convertFamily(PrometheusCollector collector, FamilySnapshot family, String name,
                                                long nowMillis) {
        String unitName = FamilyPlans.unitName(family.type(), family.unit());
        io.prometheus.metrics.model.snapshots.Unit unit =
                unitName == null ? null : new io.prometheus.metrics.model.snapshots.Unit(unitName);
        switch (family.type()) {
            case COUNTER: {
                CounterSnapshot.Builder builder = CounterSnapshot.builder().name(name).help(family.help()).unit(unit);
                for (SeriesPoint point : family.points()) {
                    builder.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                            .labels(labels(family, point))
                            .value(((CounterPoint) point).value())
                            .createdTimestampMillis(point.createdMillis())
                            .build());
                }
                return builder.build();
            }
            case GAUGE: {
                GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(family.help()).unit(unit);
                for (SeriesPoint point : family.points()) {
                    builder.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                            .labels(labels(family, point))
                            .value(((GaugePoint) point).value())
                            .build());
                }
                return builder.build();
            }
            default: {
                SlidingWindowSummary summary = collector.plans().summary(family.name());
                return summary != null ? summary(family, name, unit, summary, nowMillis)
                        : histogram(collector, family, name, unit);
            }
        }
    }

    private static MetricSnapshot histogram(PrometheusCollector collector, FamilySnapshot family, String name,
                                            io.prometheus.metrics.model.snapshots.Unit unit) {
        double scale = family.type().exportScale();
        HistogramMode mode = collector.config().histogramMode(family.name());
        double[] bounds = collector.config().classicBounds(family.name(), family.classicUpperBounds());
        int[] limits = ClassicBucketMapping.indexLimits(collector.engine().histogramLayout(), bounds, scale);
        NativeSettings settings = collector.config().nativeSettings(family.name());
        HistogramSnapshot.Builder builder = HistogramSnapshot.builder().name(name).help(family.help()).unit(unit);
        long[] zeroCount = new long[1];
        for (SeriesPoint point : family.points()) {
            HistogramPoint histogram = (HistogramPoint) point;
            HistogramSnapshot.HistogramDataPointSnapshot.Builder data =
                    HistogramSnapshot.HistogramDataPointSnapshot.builder();
            data.labels(labels(family, point));
            data.sum(histogram.sum() / scale);
            data.createdTimestampMillis(point.createdMillis());
            if (mode.classic()) {
                data.classicHistogramBuckets(classicBuckets(histogram, bounds, limits));
            }
            if (mode.nativeBuckets()) {
                int[] schema = new int[1];
                double[] zeroThreshold = new double[1];
                data.nativeBucketsForPositiveValues(positiveBuckets(histogram, settings, scale, schema, zeroCount,
                        zeroThreshold));
                data.nativeSchema(schema[0]);
                data.nativeZeroCount(zeroCount[0]);
                data.nativeZeroThreshold(zeroThreshold[0]);
            }
            builder.dataPoint(data.build());
        }
        return builder.build();
    }

    private static MetricSnapshot summary(FamilySnapshot family, String name,
                                          io.prometheus.metrics.model.snapshots.Unit unit,
                                          SlidingWindowSummary summary, long nowMillis) {
        double scale = family.type().exportScale();
        SummarySnapshot.Builder builder = SummarySnapshot.builder().name(name).help(family.help()).unit(unit);
        for (SeriesPoint point : family.points()) {
            HistogramPoint histogram = (HistogramPoint) point;
            org.HdrHistogram.Histogram window = summary.window(histogram, nowMillis);
            Quantiles.Builder quantiles = Quantiles.builder();
            for (double q : SlidingWindowSummary.QUANTILES) {
                quantiles.quantile(new Quantile(q, SlidingWindowSummary.quantile(window, q, scale)));
            }
            builder.dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder()
                    .labels(labels(family, point))
                    .quantiles(quantiles.build())
                    .count(histogram.count())
                    .sum(histogram.sum() / scale)
                    .createdTimestampMillis(point.createdMillis())
                    .build());
        }
        return builder.build();
    }

    private static ClassicHistogramBuckets classicBuckets(HistogramPoint point, double[] upperBounds, int[] limits) {
        long[] counts = new long[upperBounds.length + 1];
        ClassicBucketMapping.counts(point, limits, counts);
        double[] bounds = new double[upperBounds.length + 1];
        System.arraycopy(upperBounds, 0, bounds, 0, upperBounds.length);
        bounds[upperBounds.length] = Double.POSITIVE_INFINITY;
        return ClassicHistogramBuckets.of(bounds, counts);
    }

    /**
     * The native buckets of {@code point}: the HDR buckets holding a value up to the zero threshold in the zero bucket,
     * every other HDR bucket's count in the native bucket of its midpoint at schema {@code min(initial, m)}, then
     * pairs merged until the populated range fits {@code settings.maxBuckets()}.
     */
    private static NativeHistogramBuckets positiveBuckets(HistogramPoint point,
                                                          NativeSettings settings, double scale,
                                                          int[] schema, long[] zeroCount, double[] zeroThreshold) {
        HistogramLayout layout = point.layout();
        schema[0] = Math.min(settings.initialSchema(), layout.subBucketHalfCountMagnitude());
        zeroCount[0] = 0;
        zeroThreshold[0] = settings.minZeroThreshold();
        for (int i = 0; i < layout.countsLength() && layout.valueAt(i) <= settings.minZeroThreshold() * scale; i++) {
            zeroThreshold[0] = Math.max(zeroThreshold[0], layout.highestValueAt(i) / scale);
        }
        TreeMap<Integer, Long> buckets = new TreeMap<>();
        for (int i = point.lowIndex(); i <= point.highIndex(); i++) {
            long count = point.countAt(i);
            if (layout.valueAt(i) <= settings.minZeroThreshold() * scale) {
                zeroCount[0] += count;
                continue;
            }
            if (count == 0) {
                continue;
            }
            double midpoint = (layout.valueAt(i) + (double) layout.highestValueAt(i)) / 2 / scale;
            buckets.merge(ExponentialScale.prometheusIndex(ExponentialScale.indexOf(midpoint, schema[0])), count,
                    Long::sum);
        }
        while (settings.maxBuckets() > 0 && !buckets.isEmpty() && schema[0] > ExponentialScale.PROMETHEUS_MIN_SCHEMA
                && buckets.lastKey() - buckets.firstKey() + 1 > settings.maxBuckets()) {
            TreeMap<Integer, Long> merged = new TreeMap<>();
            buckets.forEach((index, count) -> merged.merge(Math.floorDiv(index + 1, 2), count, Long::sum));
            buckets = merged;
            schema[0]--;
        }
        NativeHistogramBuckets.Builder result = NativeHistogramBuckets.builder();
        buckets.forEach(result::bucket);
        return result.build();
    }

    private static Labels labels(FamilySnapshot family, SeriesPoint point) {
        List<String> names = family.labelNames();
        if (!point.isOverflow()) {
            return names.isEmpty() ? Labels.EMPTY : Labels.of(names, point.labelValues());
        }
        List<String> overflowNames = new ArrayList<>(names);
        List<String> overflowValues = new ArrayList<>(point.labelValues());
        overflowNames.add(NameRules.OVERFLOW_LABEL);
        overflowValues.add("true");
        return Labels.of(overflowNames, overflowValues);
    }
}
