package io.streammetrics.internal.registry;

import io.streammetrics.common.ClassicBuckets;
import io.streammetrics.common.DefaultBuckets;
import io.streammetrics.common.EngineClock;
import io.streammetrics.common.MetricType;
import io.streammetrics.common.Unit;
import io.streammetrics.exemplar.ExemplarLabels;
import io.streammetrics.internal.store.MetricStore;
import io.streammetrics.internal.store.StoreLayout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Families and series by name and label values: validates them, assigns store slots and writes their metadata. All
 * of this happens at registration, off the record path; handles carry the resolved slot so that recording never
 * looks anything up.
 *
 * <p>Capacity is memory: a new label set gets a series of its own while the store has room for it
 * ({@link MetricStore#hasRoomForSeries()}, the engine's {@code storeMemoryLimit}), its family is below its
 * cardinality limit, and the store's series and histogram caps are not reached. Otherwise it goes to the family's
 * overflow series, counted in {@code streammetrics_cardinality_overflow_total{metric}}, and the first time that
 * happens to a family a WARNING names the family, the reason and the setting to raise. A family reserves the slot of
 * its single series, or of its overflow series if it has labels, so that a label set refused for want of space
 * always has an overflow series to go to (the store's memory reserve holds it). A family with labels also reserves
 * the slot of the series that counts its overflowed lookups (see {@link #onOverflow(FamilyDescriptor, Consumer)}), so
 * that this count has a series of its own even when the store is full.
 */
public final class MetricRegistry {
    private static final System.Logger LOG = System.getLogger(MetricRegistry.class.getName());

    private final MetricStore store;
    private final EngineClock clock;
    private final int maxSeries;
    private final int maxHistograms;
    private final int maxFamilies;
    private final Map<String, FamilyDescriptor> byName = new ConcurrentHashMap<>();
    private volatile FamilyDescriptor[] families = new FamilyDescriptor[0];
    private int nextSeriesId;
    private int nextHistogramIndex;
    private int reservedSeries;
    private int reservedHistograms;
    private FamilyDescriptor overflowCounts;
    /** Most distinct exemplar label sets an engine resolves. */
    public static final int MAX_EXEMPLAR_LABEL_SETS = 10_000;
    private final Map<Map<String, String>, ExemplarLabels> exemplarLabels = new HashMap<>();
    private volatile Consumer<SeriesDescriptor> overflowListener = series -> { };

    /**
     * @param maxSeries series the registry creates at most (the store's directory may hold more)
     * @param maxHistograms histogram and timer series it creates at most
     */
    public MetricRegistry(MetricStore store, EngineClock clock, int maxSeries, int maxHistograms) {
        this.store = store;
        this.clock = clock;
        StoreLayout layout = store.layout();
        this.maxSeries = Math.min(maxSeries, layout.maxSeries());
        this.maxHistograms = maxHistograms;
        this.maxFamilies = layout.maxFamilies();
    }

    /**
     * Sets up overflow accounting. {@code counts} is a counter family with one label, the family name; when a family
     * first routes a label set to its overflow series, the registry creates the series of {@code counts} labelled with
     * that family's name from the slot the family reserved at registration (so it exists even when the store is
     * full). {@code listener} then receives that series each time a lookup is routed to the family's overflow series.
     * The listener must not look series up: it runs on the thread that made the lookup.
     */
    public synchronized void onOverflow(FamilyDescriptor counts, Consumer<SeriesDescriptor> listener) {
        if (counts.type() != MetricType.COUNTER || counts.labelNames().size() != 1) {
            throw new IllegalArgumentException("overflow counts need a counter family with one label, got " + counts.name());
        }
        this.overflowCounts = counts;
        this.overflowListener = Objects.requireNonNull(listener);
    }

    /**
     * Registers a family, or returns the one already registered under that name if it has the same type, unit,
     * label names and classic upper bounds.
     *
     * @param classicUpperBounds a histogram's or timer's classic bounds as {@link ClassicBuckets#checkUpperBounds}
     *                           returns them, or null for {@link DefaultBuckets}; ignored for counters and gauges
     * @throws IllegalArgumentException for an invalid name or labels, or a conflicting earlier registration
     * @throws IllegalStateException when the store has no room left
     */
    public synchronized FamilyDescriptor registerFamily(MetricType type, String name, String help, Unit unit,
                                                        List<String> labelNames, int cardinalityLimit,
                                                        double[] classicUpperBounds) {
        NameRules.checkMetricName(name);
        NameRules.checkLabelNames(name, labelNames, type.isDistribution());
        if (cardinalityLimit < 1) {
            throw new IllegalArgumentException("cardinality limit of metric '" + name + "' must be >= 1, got " + cardinalityLimit);
        }
        double[] bounds = !type.isDistribution() ? new double[0] : ClassicBuckets.checkUpperBounds(name,
                classicUpperBounds != null ? classicUpperBounds
                        : DefaultBuckets.forFamily(type, unit, store.histogramLayout()));
        FamilyDescriptor existing = byName.get(name);
        if (existing != null) {
            if (existing.type() != type) {
                throw new IllegalArgumentException("metric '" + name + "' is already registered as a "
                        + existing.type().name().toLowerCase() + ", cannot register it as a " + type.name().toLowerCase());
            }
            if (!existing.labelNames().equals(labelNames)) {
                throw new IllegalArgumentException("metric '" + name + "' is already registered with labels "
                        + existing.labelNames() + ", cannot register it with labels " + labelNames);
            }
            if (!Objects.equals(existing.unit(), unit)) {
                throw new IllegalArgumentException("metric '" + name + "' is already registered with unit "
                        + existing.unit() + ", cannot register it with unit " + unit);
            }
            if (existing.classicBuckets() != null && !existing.classicBuckets().hasUpperBounds(bounds)) {
                throw new IllegalArgumentException("metric '" + name + "' is already registered with classic upper bounds "
                        + Arrays.toString(existing.classicBuckets().upperBounds()) + ", cannot register it with "
                        + Arrays.toString(bounds));
            }
            return existing;
        }
        if (families.length >= maxFamilies) {
            throw new IllegalStateException("cannot register metric '" + name + "': the store holds at most "
                    + maxFamilies + " families (MetricsEngine.Builder.maxFamilies)");
        }
        reserve(name, type, !labelNames.isEmpty());
        // One table per family, shared by its series: the aggregator maps each record to its classic bucket with it.
        ClassicBuckets classic = type.isDistribution()
                ? ClassicBuckets.of(store.histogramLayout(), bounds, type.exportScale()) : null;
        FamilyDescriptor family = new FamilyDescriptor(families.length, type, name, help, unit,
                Collections.unmodifiableList(new ArrayList<>(labelNames)), cardinalityLimit, classic);
        store.writeFamily(family.index(), MetricStore.typeCode(type), name, unit == null ? "" : unit.name(), help, labelNames,
                bounds);
        byName.put(name, family);
        FamilyDescriptor[] next = Arrays.copyOf(families, families.length + 1);
        next[next.length - 1] = family;
        families = next;
        return family;
    }

    /** Reserves the family's single or overflow series and, for a family with labels, its overflow-count series. */
    private void reserve(String name, MetricType type, boolean labelled) {
        int seriesNeeded = labelled ? 2 : 1;
        if (nextSeriesId + reservedSeries + seriesNeeded > maxSeries) {
            throw new IllegalStateException("cannot register metric '" + name + "': the store is full ("
                    + maxSeries + " series, MetricsEngine.Builder.maxSeries)");
        }
        if (type.isDistribution() && nextHistogramIndex + reservedHistograms >= maxHistograms) {
            throw new IllegalStateException("cannot register metric '" + name + "': the store is full ("
                    + maxHistograms + " histogram series, MetricsEngine.Builder.maxHistograms)");
        }
        reservedSeries += seriesNeeded;
        if (type.isDistribution()) {
            reservedHistograms++;
        }
    }

    /**
     * The series of {@code family} with these label values: the existing one, a new one, or the family's overflow
     * series when the family's cardinality limit or the store's capacity is reached.
     *
     * @throws IllegalArgumentException for a wrong number of values, a null value, or values too long for the store
     */
    public SeriesDescriptor series(FamilyDescriptor family, String... labelValues) {
        NameRules.checkLabelValues(family.name(), family.labelNames(), labelValues);
        List<String> key = List.of(labelValues);
        SeriesDescriptor found = family.byLabels.get(key);
        if (found != null) {
            return found;
        }
        SeriesDescriptor created = create(family, key);
        if (created.isOverflow()) {
            // The count series was created under the lock with the overflow series: no lookup here, so counting an
            // overflow can never overflow (and recurse) in turn.
            SeriesDescriptor count = family.overflowCountSeries;
            if (count != null) {
                overflowListener.accept(count);
            }
        }
        return created;
    }

    private synchronized SeriesDescriptor create(FamilyDescriptor family, List<String> key) {
        SeriesDescriptor found = family.byLabels.get(key);
        if (found != null) {
            return found;
        }
        int labelBytes = MetricStore.encodedLength(key);
        if (labelBytes > MetricStore.maxLabelBytes()) {
            throw new IllegalArgumentException("label values " + key + " of metric '" + family.name() + "' take "
                    + labelBytes + " bytes in the store, more than the " + MetricStore.maxLabelBytes() + " a series record holds");
        }
        boolean onlySeries = family.distinctLabelSets == 0 && family.labelNames().isEmpty();
        String refusal = onlySeries ? null : refusal(family);
        if (refusal != null) {
            if (family.overflowSeries == null) {
                LOG.log(System.Logger.Level.WARNING, "metric '" + family.name() + "': " + refusal + "; label set "
                        + key + " and every new one after it go to the overflow series " + family.name()
                        + "{otel_metric_overflow=\"true\"}, counted in streammetrics_cardinality_overflow_total{metric=\""
                        + family.name() + "\"} (logged once per metric)");
            }
            return overflow(family);
        }
        if (onlySeries) {
            // The family's reservation was for this, its only series.
            release(family.type());
        }
        SeriesDescriptor series = newSeries(family, key, false);
        family.distinctLabelSets++;
        family.byLabels.put(key, series);
        return series;
    }

    /** Why a new label set of {@code family} gets no series of its own, naming the setting to raise; null if it does. */
    private String refusal(FamilyDescriptor family) {
        if (family.distinctLabelSets >= family.cardinalityLimit()) {
            return "its cardinality limit of " + family.cardinalityLimit() + " label sets is reached (cardinalityLimit "
                    + "on the family's builder, default MetricsEngine.Builder.cardinalityLimit)";
        }
        if (nextSeriesId + reservedSeries >= maxSeries) {
            return "the store holds at most " + maxSeries + " series (MetricsEngine.Builder.maxSeries)";
        }
        if (family.type().isDistribution() && nextHistogramIndex + reservedHistograms >= maxHistograms) {
            return "the store holds at most " + maxHistograms + " histogram series (MetricsEngine.Builder.maxHistograms)";
        }
        if (!store.hasRoomForSeries()) {
            return "the store's memory limit of " + store.memoryLimit() + " bytes is reached ("
                    + store.bytesTaken() + " taken; MetricsEngine.Builder.storeMemoryLimit)";
        }
        return null;
    }

    private SeriesDescriptor overflow(FamilyDescriptor family) {
        SeriesDescriptor overflow = family.overflowSeries;
        if (overflow == null) {
            release(family.type());
            if (!family.labelNames().isEmpty()) {
                // The overflow-count series' slot, reserved with the family: free it for countSeries below.
                reservedSeries--;
            }
            List<String> blanks = Collections.nCopies(family.labelNames().size(), "");
            overflow = newSeries(family, blanks, true);
            family.overflowSeries = overflow;
            FamilyDescriptor counts = overflowCounts;
            if (counts != null && counts != family) {
                family.overflowCountSeries = countSeries(counts, family.name());
            }
        }
        return overflow;
    }

    /** The series of {@code counts} for family {@code name}, created in the slot its family had reserved. */
    private SeriesDescriptor countSeries(FamilyDescriptor counts, String name) {
        List<String> key = List.of(name);
        SeriesDescriptor found = counts.byLabels.get(key);
        if (found != null) {
            return found;
        }
        if (MetricStore.encodedLength(key) > MetricStore.maxLabelBytes()
                || counts.distinctLabelSets >= counts.cardinalityLimit()) {
            return overflow(counts);
        }
        SeriesDescriptor series = newSeries(counts, key, false);
        counts.distinctLabelSets++;
        counts.byLabels.put(key, series);
        return series;
    }

    private void release(MetricType type) {
        reservedSeries--;
        if (type.isDistribution()) {
            reservedHistograms--;
        }
    }

    private SeriesDescriptor newSeries(FamilyDescriptor family, List<String> labelValues, boolean overflow) {
        int id = nextSeriesId++;
        int histogramIndex = family.type().isDistribution() ? nextHistogramIndex++ : -1;
        SeriesDescriptor series = new SeriesDescriptor(id, family, labelValues, histogramIndex, overflow, clock.epochMillis());
        store.writeSeries(id, family.index(), histogramIndex, labelValues, series.createdMillis(),
                family.classicBuckets());
        SeriesDescriptor[] next = Arrays.copyOf(family.series, family.series.length + 1);
        next[next.length - 1] = series;
        family.series = next;
        return series;
    }

    /** Every family, in registration order. */
    public FamilyDescriptor[] families() {
        return families;
    }

    /** The family registered under {@code name}, or null. */
    public FamilyDescriptor family(String name) {
        return byName.get(name);
    }

    /**
     * Resolves extra exemplar labels once: validated, written to the store, and the same object for the same labels
     * (at most {@value #MAX_EXEMPLAR_LABEL_SETS} distinct sets, as each takes store memory for good).
     *
     * @throws IllegalArgumentException naming the problem
     */
    public synchronized ExemplarLabels exemplarLabels(String... namesAndValues) {
        if (namesAndValues == null || namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("exemplar labels take names and values in pairs, got "
                    + (namesAndValues == null ? "null" : namesAndValues.length + " strings"));
        }
        if (namesAndValues.length == 0) {
            return ExemplarLabels.NONE;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        int characters = 0;
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String name = namesAndValues[i];
            String value = namesAndValues[i + 1];
            if (value == null) {
                throw new IllegalArgumentException("null value for exemplar label '" + name + "'");
            }
            if ("trace_id".equals(name) || "span_id".equals(name)) {
                throw new IllegalArgumentException("exemplar label '" + name + "' is reserved: the record's trace "
                        + "context sets it");
            }
            names.add(name);
            labels.put(name, value);
            characters += name == null ? 0 : name.codePointCount(0, name.length()) + value.codePointCount(0,
                    value.length());
        }
        NameRules.checkLabelNames("exemplar labels", names, false);
        if (characters > ExemplarLabels.MAX_CHARACTERS) {
            throw new IllegalArgumentException("exemplar labels " + labels + " take " + characters + " characters, "
                    + "at most " + ExemplarLabels.MAX_CHARACTERS + " (OpenMetrics allows 128 with trace_id and "
                    + "span_id)");
        }
        ExemplarLabels known = exemplarLabels.get(labels);
        if (known != null) {
            return known;
        }
        if (exemplarLabels.size() >= MAX_EXEMPLAR_LABEL_SETS) {
            throw new IllegalArgumentException("more than " + MAX_EXEMPLAR_LABEL_SETS + " distinct exemplar label "
                    + "sets: resolve them once and reuse them, and keep per-request values in the trace");
        }
        Map<String, String> frozen = Collections.unmodifiableMap(labels);
        ExemplarLabels resolved = new ExemplarLabels(frozen, store.writeExemplarLabels(frozen));
        exemplarLabels.put(frozen, resolved);
        return resolved;
    }

    /** Series registered so far. */
    public synchronized int seriesCount() {
        return nextSeriesId;
    }
}
