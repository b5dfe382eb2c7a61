package io.streammetrics.prometheus;

/**
 * How scrapes export one family, worked out once from its registration and the collector's configuration
 * ({@link FamilyPlans}) and read by both renderers: our text writer ({@link TextRenderer}) and client_java's model
 * ({@link ModelBuilder}). A plan knows nothing of client_java or of any exposition format: the exported names, help
 * and unit, the divisor to exported units, and what its kind adds (a histogram's buckets, a summary's window). One
 * final class per kind; {@link #kind} lets a renderer switch on it. Immutable (a summary's window is state the
 * collector keeps across scrapes, referred to, not held).
 */
abstract sealed class FamilyPlan permits FamilyPlan.Counter, FamilyPlan.Gauge, FamilyPlan.Histogram,
        FamilyPlan.Summary {
    /** The Prometheus type a family is exported as. */
    enum Kind {
        COUNTER("counter"), GAUGE("gauge"), HISTOGRAM("histogram"), SUMMARY("summary");

        private final String typeName;

        Kind(String typeName) {
            this.typeName = typeName;
        }

        /** The type as the {@code # TYPE} line of both text formats names it. */
        String typeName() {
            return typeName;
        }
    }

    final Kind kind;
    /** The exported name, before the {@code _total} of counters ({@code NameRules.exportedName}). */
    final String name;
    /** {@link #name} as client_java's name filter ({@code name[]}) matches it. */
    final String prometheusName;
    /** The family's help, or null. */
    final String help;
    /** The exported unit's name ({@code seconds} for every timer), or null. */
    final String unit;
    /** Divisor from recorded to exported units: timers record nanoseconds and export seconds. */
    final double scale;

    private FamilyPlan(Kind kind, Names names, double scale) {
        this.kind = kind;
        this.name = names.name;
        this.prometheusName = names.prometheusName;
        this.help = names.help;
        this.unit = names.unit;
        this.scale = scale;
    }

    /** The names of a family as exported, whatever its kind. */
    record Names(String name, String prometheusName, String help, String unit) {
    }

    /** A counter: one {@code _total} sample per series (and {@code _created} where asked). */
    static final class Counter extends FamilyPlan {
        Counter(Names names, double scale) {
            super(Kind.COUNTER, names, scale);
        }
    }

    /** A gauge: one sample per series. */
    static final class Gauge extends FamilyPlan {
        Gauge(Names names, double scale) {
            super(Kind.GAUGE, names, scale);
        }
    }

    /**
     * A histogram or timer exported as a histogram: which buckets, and where a scrape reads their counts
     * ({@link ClassicCounts}).
     */
    static final class Histogram extends FamilyPlan {
        /**
         * Whether classic buckets are exported ({@link HistogramMode#classic()}); they are then {@link #bounds} and
         * {@code +Inf}, only {@code +Inf} if there are no bounds.
         */
        final boolean classic;
        /** Classic bounds in exported units without {@code +Inf}; empty when only native buckets are exported. */
        final double[] bounds;
        /** {@link #bounds} and {@code +Inf}, as client_java's classic buckets take them (it copies them). */
        final double[] leBounds;
        /** {@link ClassicBucketMapping#indexLimits} of {@link #bounds}: how HDR buckets map onto them. */
        final int[] limits;
        /**
         * Whether a scrape takes the classic counts from the store's ({@code SeriesCursor.classicHistogram()}) rather
         * than mapping the HDR buckets: when {@link #bounds} are the family's own, or empty (then count and sum
         * suffice for the classic buckets; native buckets, when exported, still come from the HDR buckets).
         */
        final boolean storedClassic;
        /** Whether native buckets are exported ({@link HistogramMode#nativeBuckets()}), mapped from the HDR buckets. */
        final boolean nativeBuckets;
        /** The most native buckets of a series (0: no limit). */
        final int nativeMaxBuckets;
        /** The native bucket mapping this family's native buckets go through. */
        final NativeMappings.Key nativeMapping;

        Histogram(Names names, double scale, HistogramMode mode, double[] bounds, int[] limits, boolean storedClassic,
                  NativeSettings nativeSettings) {
            super(Kind.HISTOGRAM, names, scale);
            this.classic = mode.classic();
            this.bounds = bounds;
            this.limits = limits;
            this.storedClassic = storedClassic;
            this.leBounds = new double[bounds.length + 1];
            System.arraycopy(bounds, 0, leBounds, 0, bounds.length);
            leBounds[bounds.length] = Double.POSITIVE_INFINITY;
            this.nativeBuckets = mode.nativeBuckets();
            this.nativeMaxBuckets = nativeSettings.maxBuckets();
            this.nativeMapping = NativeMappings.Key.of(scale, nativeSettings);
        }
    }

    /** A histogram or timer exported as a summary: quantiles over a sliding window, cumulative count and sum. */
    static final class Summary extends FamilyPlan {
        /** The family's sliding window, which the collector keeps across scrapes and both renderers share. */
        final SlidingWindowSummary window;

        Summary(Names names, double scale, SlidingWindowSummary window) {
            super(Kind.SUMMARY, names, scale);
            this.window = window;
        }
    }
}
