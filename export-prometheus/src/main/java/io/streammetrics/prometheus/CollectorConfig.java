package io.streammetrics.prometheus;

import java.time.Duration;
import java.util.Map;

/**
 * What a {@link PrometheusCollector.Builder} was told, as an immutable value, and the one place that says which
 * setting applies to a family: its own (by family name) where set, else the collector-wide one. Plans are made from
 * it ({@link FamilyPlans}); it reads nothing from the engine and knows nothing of client_java. Its arrays are never
 * handed to users and never written.
 */
final class CollectorConfig {
    private final HistogramMode defaultMode;
    private final Map<String, HistogramMode> modes;
    private final Map<String, double[]> classicBounds;
    private final Map<String, SummaryWindow> summaries;
    private final NativeSettings nativeDefaults;
    private final Map<String, Integer> nativeMaxBuckets;
    private final Map<String, Integer> nativeInitialSchemas;
    private final Map<String, Double> nativeMinZeroThresholds;

    /** Copies the maps; the builder has validated every value. */
    CollectorConfig(HistogramMode defaultMode, Map<String, HistogramMode> modes, Map<String, double[]> classicBounds,
                    Map<String, SummaryWindow> summaries, NativeSettings nativeDefaults,
                    Map<String, Integer> nativeMaxBuckets, Map<String, Integer> nativeInitialSchemas,
                    Map<String, Double> nativeMinZeroThresholds) {
        this.defaultMode = defaultMode;
        this.modes = Map.copyOf(modes);
        this.classicBounds = Map.copyOf(classicBounds);
        this.summaries = Map.copyOf(summaries);
        this.nativeDefaults = nativeDefaults;
        this.nativeMaxBuckets = Map.copyOf(nativeMaxBuckets);
        this.nativeInitialSchemas = Map.copyOf(nativeInitialSchemas);
        this.nativeMinZeroThresholds = Map.copyOf(nativeMinZeroThresholds);
    }

    /** The bucket representation of a histogram or timer family. */
    HistogramMode histogramMode(String familyName) {
        return modes.getOrDefault(familyName, defaultMode);
    }

    /**
     * The classic {@code le} bounds of a histogram or timer family, in exported units, without {@code +Inf}: those
     * set by {@code classicBuckets}, else the family's own ({@code familyBounds}).
     */
    double[] classicBounds(String familyName, double[] familyBounds) {
        double[] bounds = classicBounds.get(familyName);
        return bounds != null ? bounds : familyBounds;
    }

    /** The families exported as summaries, by family name, with their windows. */
    Map<String, SummaryWindow> summaries() {
        return summaries;
    }

    /** The native bucket settings of a histogram or timer family: its own where set, else the collector's. */
    NativeSettings nativeSettings(String familyName) {
        return new NativeSettings(nativeMaxBuckets.getOrDefault(familyName, nativeDefaults.maxBuckets()),
                nativeInitialSchemas.getOrDefault(familyName, nativeDefaults.initialSchema()),
                nativeMinZeroThresholds.getOrDefault(familyName, nativeDefaults.minZeroThreshold()));
    }

    /** The sliding window of a family exported as a summary: its length and how many steps it advances in. */
    record SummaryWindow(Duration window, int subWindows) {
    }
}
