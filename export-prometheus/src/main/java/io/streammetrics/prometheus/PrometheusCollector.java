package io.streammetrics.prometheus;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.streammetrics.MetricsEngine;
import io.streammetrics.common.MetricType;
import io.streammetrics.common.Unit;
import io.streammetrics.internal.exponential.ExponentialBucketMapping;
import io.streammetrics.internal.exponential.ExponentialScale;
import io.streammetrics.internal.registry.NameRules;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Exposes a {@link MetricsEngine} to Prometheus client_java: each {@link #collect()} reads the engine's store once,
 * as consistently as a {@link MetricsEngine#snapshot()} and without blocking the aggregator, and builds client_java
 * {@link MetricSnapshots} from it, ready for client_java's exposition writers (this is what serves protobuf) or a
 * {@code PrometheusRegistry}. It streams the store ({@code MetricsEngine.snapshot(SeriesVisitor)}) rather than
 * copying a {@code MetricsSnapshot}: a histogram's HDR buckets are read only when the exported buckets need them
 * (see below), into a holder reused for every series.
 *
 * <p><b>Names.</b> Exported names follow Prometheus conventions: the family's unit is appended unless the name
 * already ends with it ({@code _seconds} for every timer, {@code _bytes}, ...), and client_java's writers append
 * {@code _total} to counters (family names are stored without it). See {@link #exportedName}.
 *
 * <p><b>Types.</b> Counters become counters (created timestamp = series registration time), gauges gauges,
 * histograms and timers histograms (or summaries, per family: see below). Timers record nanoseconds and export
 * seconds (values, bucket bounds and sum divided by 1e9).
 *
 * <p><b>Histogram buckets.</b> Per family, {@link HistogramMode#CLASSIC classic}, {@link HistogramMode#NATIVE native}
 * or {@link HistogramMode#BOTH both} (the default, as client_java). Classic {@code le} bounds are the family's own,
 * declared at registration ({@code classicUpperBounds} on the histogram and timer builders; by default
 * {@code DefaultBuckets}: client_java's latency buckets (.005 to 10 s) for timers and {@code seconds}, powers of 4
 * from 64 B to 64 MiB for {@code bytes}, otherwise powers of 10 over the histogram range); the store keeps their
 * counts, so a classic-only scrape (here and in {@link StoreTextWriter}) reads a few dozen numbers per series.
 * {@link Builder#classicBuckets} sets other bounds for the export only, then mapped from the HDR buckets at every
 * scrape. Native buckets are mapped from the HDR buckets at every scrape (with the store's classic counts, when both
 * are exported, taken from the same read so that they agree). Both representations come from the HDR bucket
 * counts ({@code 2^-m} relative bucket width, {@code m = 7} at the default 2 significant digits):
 * <ul>
 *   <li>classic: an HDR bucket's count goes to the first {@code le} at or above the HDR bucket's highest value,
 *       so a classic count is off by at most the values within one HDR bucket width (&le; 0.78% at 2 digits) below
 *       its {@code le} ({@link ClassicBucketMapping});</li>
 *   <li>native: through the core's {@link ExponentialBucketMapping} (shared with the OTLP exporter): an HDR bucket's
 *       count goes whole to the native bucket holding its midpoint, at schema {@code min(m, nativeInitialSchema)}
 *       (7 at 2 digits, growth factor {@code g = 2^(1/128)} &asymp; 1.0054) if the series' populated range (lowest
 *       to highest non-empty native bucket) is at most {@link Builder#nativeMaxNumberOfBuckets(int)} buckets (160 by
 *       default, as client_java), else at the highest lower schema where it is (each step down merges pairs of
 *       adjacent buckets, as Prometheus defines it). A quantile Prometheus computes from them
 *       ({@code histogram_quantile}, any interpolation within a bucket) is within relative error
 *       {@code g / (1 - 2^-m / 2) - 1} of the recorded value, {@code g = 2^(2^-schema)}: 0.94% at schema 7, 9.5% at
 *       schema 3 (three decades in 160 buckets), 19.4% at schema 2 (six decades); see
 *       {@link ExponentialBucketMapping#scaleForRange} for the schema a range gets. Values up to
 *       {@link Builder#nativeMinZeroThreshold(double)} (whole HDR buckets) form the zero bucket.</li>
 * </ul>
 *
 * <p><b>Summaries.</b> A histogram or timer family can instead be exported as a Prometheus summary
 * ({@link Builder#summary(String, Duration, int)}): quantiles 0.5, 0.9, 0.95 and 0.99 of the values recorded
 * within a sliding window (default the last minute, in 6 sub-windows), computed by HdrHistogram's
 * {@code getValueAtPercentile} on the window's bucket counts (so within HDR's precision: the highest value of the
 * HDR bucket holding the rank, at most {@code 2^-m} above it), plus cumulative {@code _count} and {@code _sum} as
 * Prometheus expects. Empty windows export NaN quantiles, as client_java does. The window is the difference of the
 * current cumulative histogram and one remembered at collect time; see {@link SlidingWindowSummary} for how the
 * window's start is chosen and what state each series keeps. Time is the engine's clock (snapshot timestamps), so
 * tests drive it with {@code MetricsEngine.Builder.clock}. Quantiles cannot be aggregated across series or
 * instances; prefer histograms unless a consumer needs summaries.
 *
 * <p><b>Overflow.</b> The series that takes label sets beyond a family's cardinality limit is exported with its
 * (empty) label values plus {@code otel_metric_overflow="true"}, as the OpenTelemetry SDK does; Prometheus treats
 * the empty labels as absent.
 *
 * <p>A family that client_java rejects (for example a name that clashes with another family's after the unit suffix)
 * is left out of the scrape and logged once, so that one bad family cannot fail every scrape. Thread-safe.
 *
 * <p>Inside, this class is only the client_java adapter and the builder: the builder's settings become an immutable
 * {@link CollectorConfig}, each family's export is planned once from it ({@link FamilyPlans}, shared with the
 * {@link StoreTextWriter}s of this collector), and each collect renders the plans into client_java's model
 * ({@link ModelBuilder}).
 */
public final class PrometheusCollector implements MultiCollector {
    /** The window of {@link Builder#summary(String)}. */
    public static final Duration DEFAULT_SUMMARY_WINDOW = Duration.ofMinutes(1);
    /** The sub-windows of {@link Builder#summary(String)} and {@link Builder#summary(String, Duration)}. */
    public static final int DEFAULT_SUMMARY_SUB_WINDOWS = 6;
    /** The default of {@link Builder#nativeMaxNumberOfBuckets(int)}, as client_java's. */
    public static final int DEFAULT_NATIVE_MAX_NUMBER_OF_BUCKETS = 160;
    /** The default of {@link Builder#nativeMinZeroThreshold(double)}, as client_java's: 2^-128. */
    public static final double DEFAULT_NATIVE_MIN_ZERO_THRESHOLD = 0x1p-128;

    private final MetricsEngine engine;
    private final CollectorConfig config;
    private final SkippedFamilies skipped = new SkippedFamilies();
    private final FamilyPlans plans;
    private final ModelCache modelCache = new ModelCache();
    private final NativeMappings nativeMappings;
    private final AtomicReference<ModelBuilder> spare = new AtomicReference<>();

    private PrometheusCollector(MetricsEngine engine, CollectorConfig config) {
        this.engine = engine;
        this.config = config;
        this.plans = new FamilyPlans(config, engine.histogramLayout(), skipped);
        this.nativeMappings = new NativeMappings(engine.histogramLayout());
    }

    /** A builder for a collector of {@code engine}. */
    public static Builder builder(MetricsEngine engine) {
        return new Builder(engine);
    }

    /** A collector of {@code engine} with the defaults. */
    public static PrometheusCollector of(MetricsEngine engine) {
        return builder(engine).build();
    }

    /** The engine this collector reads. */
    public MetricsEngine engine() {
        return engine;
    }

    /** Families left out of scrapes so far because client_java rejected them (each is logged once). */
    public long skippedFamilies() {
        return skipped.total();
    }

    /**
     * Reads every series of the engine, with a snapshot's consistency and without blocking the aggregator
     * ({@code MetricsEngine.snapshot(SeriesVisitor)}), into client_java snapshots.
     */
    @Override
    public MetricSnapshots collect() {
        ModelBuilder builder = spare.getAndSet(null);
        if (builder == null) {
            // Only when collects overlap (or on the first): the second one gets a builder of its own.
            builder = new ModelBuilder(plans, modelCache, nativeMappings, skipped);
        }
        try {
            builder.begin();
            engine.snapshot(builder);
            return builder.end();
        } finally {
            spare.set(builder);
        }
    }

    /**
     * The exported Prometheus name of a family, before the {@code _total} that client_java's writers add to
     * counters: the name plus {@code _<unit>} unless it already ends with it (always {@code _seconds} for timers).
     */
    public static String exportedName(String familyName, MetricType type, Unit unit) {
        return NameRules.exportedName(familyName, type, unit);
    }

    /** The settings this collector was built with. */
    CollectorConfig config() {
        return config;
    }

    /** The plans of this collector's families, which its {@link StoreTextWriter}s share. */
    FamilyPlans plans() {
        return plans;
    }

    /** Where this collector's scrapes count the families they leave out. */
    SkippedFamilies skipped() {
        return skipped;
    }

    /** Builds a {@link PrometheusCollector}. */
    public static final class Builder {
        private final MetricsEngine engine;
        private HistogramMode defaultMode = HistogramMode.BOTH;
        private final Map<String, HistogramMode> modes = new HashMap<>();
        private final Map<String, double[]> classicBounds = new HashMap<>();
        private final Map<String, CollectorConfig.SummaryWindow> summaries = new HashMap<>();
        private int nativeMaxBuckets = DEFAULT_NATIVE_MAX_NUMBER_OF_BUCKETS;
        private int nativeInitialSchema = ExponentialScale.PROMETHEUS_MAX_SCHEMA;
        private double nativeMinZeroThreshold = DEFAULT_NATIVE_MIN_ZERO_THRESHOLD;
        private final Map<String, Integer> familyMaxBuckets = new HashMap<>();
        private final Map<String, Integer> familyInitialSchemas = new HashMap<>();
        private final Map<String, Double> familyMinZeroThresholds = new HashMap<>();

        private Builder(MetricsEngine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
        }

        /** The bucket representation of every histogram and timer without a family-specific one (default both). */
        public Builder defaultHistogramMode(HistogramMode mode) {
            this.defaultMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** The bucket representation of one histogram or timer family (by family name). */
        public Builder histogramMode(String familyName, HistogramMode mode) {
            modes.put(Objects.requireNonNull(familyName, "familyName"), Objects.requireNonNull(mode, "mode"));
            return this;
        }

        /**
         * The classic {@code le} bounds of one histogram or timer family (by family name), in exported units
         * (seconds for timers), instead of those the family declared at registration; {@code +Inf} is added.
         * Prefer declaring them on the family ({@code classicUpperBounds} on its builder): the store keeps counts
         * for a family's own bounds, while these are mapped from the HDR buckets at every scrape, which reads each
         * series' whole occupied bucket range (about 1,600 longs for a typical latency histogram, against a dozen).
         *
         * @throws IllegalArgumentException unless the bounds are finite and strictly increasing
         */
        public Builder classicBuckets(String familyName, double... upperBounds) {
            Objects.requireNonNull(familyName, "familyName");
            double[] bounds = upperBounds.clone();
            if (bounds.length > 0 && bounds[bounds.length - 1] == Double.POSITIVE_INFINITY) {
                bounds = Arrays.copyOf(bounds, bounds.length - 1);
            }
            for (int i = 0; i < bounds.length; i++) {
                if (!Double.isFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
                    throw new IllegalArgumentException("classic buckets of '" + familyName
                            + "' must be finite and strictly increasing, got " + Arrays.toString(upperBounds));
                }
            }
            classicBounds.put(familyName, bounds);
            return this;
        }

        /**
         * The most native buckets of every histogram and timer without a setting of its own (default 160, as
         * client_java): when a series' populated range (from its lowest to its highest non-empty bucket) needs
         * more, its schema is lowered, merging pairs of adjacent buckets, until it fits (or reaches schema -4). 0
         * means no limit. Only what is exported is bounded: the store's HDR buckets and the classic buckets are
         * unchanged.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder nativeMaxNumberOfBuckets(int maxBuckets) {
            this.nativeMaxBuckets = maxBuckets(maxBuckets, "every family");
            return this;
        }

        /** {@link #nativeMaxNumberOfBuckets(int)} for one histogram or timer family, by family name. */
        public Builder nativeMaxNumberOfBuckets(String familyName, int maxBuckets) {
            familyMaxBuckets.put(Objects.requireNonNull(familyName, "familyName"), maxBuckets(maxBuckets, familyName));
            return this;
        }

        /**
         * The highest native schema of every histogram and timer without a setting of its own, -4 to 8 (default 8).
         * The schema used is at most the HDR precision's ({@code m}, 7 at 2 significant digits), since a finer one
         * adds buckets but no information, and lower when the bucket limit requires.
         *
         * @throws IllegalArgumentException outside -4 to 8
         */
        public Builder nativeInitialSchema(int schema) {
            this.nativeInitialSchema = schema(schema, "every family");
            return this;
        }

        /** {@link #nativeInitialSchema(int)} for one histogram or timer family, by family name. */
        public Builder nativeInitialSchema(String familyName, int schema) {
            familyInitialSchemas.put(Objects.requireNonNull(familyName, "familyName"), schema(schema, familyName));
            return this;
        }

        /**
         * The least zero bucket threshold of every histogram and timer without a setting of its own, in exported
         * units (seconds for timers; default 2^-128, as client_java): the values up to it are counted in the zero
         * bucket. The threshold exported is raised to the highest value of the HDR bucket holding it, so that the
         * zero bucket holds whole HDR buckets.
         *
         * @throws IllegalArgumentException if negative or not finite
         */
        public Builder nativeMinZeroThreshold(double threshold) {
            this.nativeMinZeroThreshold = zeroThreshold(threshold, "every family");
            return this;
        }

        /** {@link #nativeMinZeroThreshold(double)} for one histogram or timer family, by family name. */
        public Builder nativeMinZeroThreshold(String familyName, double threshold) {
            familyMinZeroThresholds.put(Objects.requireNonNull(familyName, "familyName"),
                    zeroThreshold(threshold, familyName));
            return this;
        }

        private static int maxBuckets(int maxBuckets, String of) {
            if (maxBuckets < 0) {
                throw new IllegalArgumentException("native max number of buckets of " + of
                        + " must be >= 0 (0: no limit), got " + maxBuckets);
            }
            return maxBuckets;
        }

        private static int schema(int schema, String of) {
            if (schema < ExponentialScale.PROMETHEUS_MIN_SCHEMA || schema > ExponentialScale.PROMETHEUS_MAX_SCHEMA) {
                throw new IllegalArgumentException("native initial schema of " + of + " must be between "
                        + ExponentialScale.PROMETHEUS_MIN_SCHEMA + " and " + ExponentialScale.PROMETHEUS_MAX_SCHEMA
                        + ", got " + schema);
            }
            return schema;
        }

        private static double zeroThreshold(double threshold, String of) {
            if (!(threshold >= 0) || Double.isInfinite(threshold)) {
                throw new IllegalArgumentException("native min zero threshold of " + of
                        + " must be >= 0 and finite, got " + threshold);
            }
            return threshold;
        }

        /**
         * Exports one histogram or timer family (by family name) as a summary over the last minute, in 6
         * sub-windows: {@code summary(familyName, DEFAULT_SUMMARY_WINDOW, DEFAULT_SUMMARY_SUB_WINDOWS)}.
         */
        public Builder summary(String familyName) {
            return summary(familyName, DEFAULT_SUMMARY_WINDOW, DEFAULT_SUMMARY_SUB_WINDOWS);
        }

        /** Exports one histogram or timer family as a summary over {@code window}, in 6 sub-windows. */
        public Builder summary(String familyName, Duration window) {
            return summary(familyName, window, DEFAULT_SUMMARY_SUB_WINDOWS);
        }

        /**
         * Exports one histogram or timer family (by family name) as a summary: quantiles 0.5, 0.9, 0.95, 0.99 of the
         * values recorded within the last {@code window}, advanced in steps of {@code window / subWindows} (see
         * the class comment). Each series keeps up to {@code subWindows + 1} cumulative bucket snapshots. The
         * option has no effect on counters and gauges.
         *
         * @throws IllegalArgumentException unless the window is at least 1 second and {@code subWindows} is between
         *         1 and 60
         */
        public Builder summary(String familyName, Duration window, int subWindows) {
            Objects.requireNonNull(familyName, "familyName");
            Objects.requireNonNull(window, "window");
            if (window.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("summary window of '" + familyName + "' must be at least 1s, got "
                        + window);
            }
            if (subWindows < 1 || subWindows > 60) {
                throw new IllegalArgumentException("summary sub-windows of '" + familyName
                        + "' must be between 1 and 60, got " + subWindows);
            }
            summaries.put(familyName, new CollectorConfig.SummaryWindow(window, subWindows));
            return this;
        }

        /**
         * Builds the collector.
         *
         * @throws IllegalArgumentException if a family is both a summary and has a histogram mode, classic buckets or
         *         native bucket settings
         */
        public PrometheusCollector build() {
            for (String family : summaries.keySet()) {
                if (modes.containsKey(family) || classicBounds.containsKey(family) || familyMaxBuckets.containsKey(family)
                        || familyInitialSchemas.containsKey(family) || familyMinZeroThresholds.containsKey(family)) {
                    throw new IllegalArgumentException("family '" + family + "' is exported as a summary: it cannot "
                            + "also have a histogram mode, classic buckets or native bucket settings");
                }
            }
            return new PrometheusCollector(engine, new CollectorConfig(defaultMode, modes, classicBounds, summaries,
                    new NativeSettings(nativeMaxBuckets, nativeInitialSchema, nativeMinZeroThreshold),
                    familyMaxBuckets, familyInitialSchemas, familyMinZeroThresholds));
        }
    }
}
