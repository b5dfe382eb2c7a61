package io.streammetrics.prometheus;

import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.streammetrics.metadata.FamilyMetadata;
import io.streammetrics.common.HistogramLayout;
import io.streammetrics.common.MetricType;
import io.streammetrics.common.Unit;
import io.streammetrics.internal.registry.IdTable;
import io.streammetrics.internal.registry.NameRules;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One collector's {@link FamilyPlan}s, each made from the {@link CollectorConfig} on the first scrape that sees its
 * family and kept (a family never changes), shared by both renderers so that they export the same families the same
 * way; and the per-family state both share across scrapes, the summary windows.
 *
 * <p>Here it is decided which families scrapes leave out: one whose exported name an earlier family (in registration
 * order) took, and one whose metadata client_java rejects ({@link ModelMetadata}: asked here, once, so that the text
 * writer, which builds no client_java model, leaves out exactly the families client_java's writers would). Plans are
 * read and made only from store visits, which the engine runs one at a time under its snapshot lock.
 */
final class FamilyPlans {
    private final CollectorConfig config;
    private final HistogramLayout layout;
    private final SkippedFamilies skipped;
    private final Map<String, SlidingWindowSummary> summaries;
    private final IdTable<Planned> plans = new IdTable<>(16);
    private final Function<FamilyMetadata, Planned> newPlan = this::newPlan;
    private final Set<String> exportedNames = new HashSet<>();

    FamilyPlans(CollectorConfig config, HistogramLayout layout, SkippedFamilies skipped) {
        this.config = config;
        this.layout = layout;
        this.skipped = skipped;
        Map<String, SlidingWindowSummary> summaries = new HashMap<>();
        config.summaries().forEach((family, summary) ->
                summaries.put(family, new SlidingWindowSummary(summary.window(), summary.subWindows())));
        this.summaries = Map.copyOf(summaries);
    }

    /**
     * The plan of a family for the scrape visiting it, or null when scrapes leave the family out: that scrape is
     * then counted in {@link SkippedFamilies} (and the first logged).
     */
    FamilyPlan forScrape(FamilyMetadata family) {
        Planned planned = plans.computeIfAbsent(family.index(), family, newPlan);
        if (planned.plan == null) {
            skipped.count(family.name(), planned.skipReason, planned.skipCause);
        }
        return planned.plan;
    }

    /** The sliding window of a family exported as a summary (by family name), or null. */
    SlidingWindowSummary summary(String familyName) {
        return summaries.get(familyName);
    }

    /** The unit name a family is exported with: {@code seconds} for every timer, else the family's own, or null. */
    static String unitName(MetricType type, Unit unit) {
        return type == MetricType.TIMER ? Unit.SECONDS.name() : unit == null ? null : unit.name();
    }

    private Planned newPlan(FamilyMetadata family) {
        String name = NameRules.exportedName(family.name(), family.type(), family.unit());
        if (!exportedNames.add(name)) {
            return new Planned(null, "its exported name " + name + " is already taken by another family", null);
        }
        try {
            MetricMetadata metadata = ModelMetadata.of(name, family.help(), unitName(family.type(), family.unit()));
            FamilyPlan.Names names = new FamilyPlan.Names(metadata.getName(), metadata.getPrometheusName(),
                    metadata.getHelp(), metadata.hasUnit() ? metadata.getUnit().toString() : null);
            return new Planned(plan(family, names), null, null);
        } catch (RuntimeException e) {
            return new Planned(null, "client_java rejected it", e);
        }
    }

    private FamilyPlan plan(FamilyMetadata family, FamilyPlan.Names names) {
        MetricType type = family.type();
        double scale = type.exportScale();
        if (type == MetricType.COUNTER) {
            return new FamilyPlan.Counter(names, scale);
        }
        if (type == MetricType.GAUGE) {
            return new FamilyPlan.Gauge(names, scale);
        }
        SlidingWindowSummary window = summaries.get(family.name());
        if (window != null) {
            return new FamilyPlan.Summary(names, scale, window);
        }
        HistogramMode mode = config.histogramMode(family.name());
        double[] bounds = mode.classic() ? config.classicBounds(family.name(), family.classicUpperBounds())
                : new double[0];
        boolean storedClassic = bounds.length == 0 || family.classicBuckets().hasUpperBounds(bounds);
        return new FamilyPlan.Histogram(names, scale, mode, bounds,
                ClassicBucketMapping.indexLimits(layout, bounds, scale), storedClassic,
                config.nativeSettings(family.name()));
    }

    /** A family's plan, or why scrapes leave the family out (and what client_java threw, if it did). */
    private record Planned(FamilyPlan plan, String skipReason, RuntimeException skipCause) {
    }
}
