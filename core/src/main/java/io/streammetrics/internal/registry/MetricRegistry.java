package io.streammetrics.internal.registry;

import io.streammetrics.common.ClassicBuckets;
import io.streammetrics.common.DefaultBuckets;
import io.streammetrics.common.EngineClock;
import io.streammetrics.common.MetricType;
import io.streammetrics.common.Unit;
import io.streammetrics.exemplar.ExemplarLabels;
import io.streammetrics.internal.store.MetricStore;
import io.streammetrics.internal.store.StoreLayout;
import io.streammetrics.metadata.FamilyMetadata;
import io.streammetrics.metadata.SeriesMetadata;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
import java.util.function.DoubleSupplier;

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
 * the slot of the series that counts its overflowed lookups (see {@link #onOverflow(FamilyMetadata, Consumer)}), so
 * that this count has a series of its own even when the store is full.
 *
 * <p><b>What readers get.</b> Each family and series is described once, at registration, by an immutable
 * {@link FamilyMetadata} and {@link SeriesMetadata}. The registration state (series by label values, counts of
 * label sets, overflow series, the handle made for each series, callback bindings) stays in this class and its
 * {@link FamilyRegistration}s. Lists handed to readers ({@link #families()}, {@link #seriesOf(FamilyMetadata)},
 * {@link #callbacks()}) are unmodifiable copy-on-write lists: a new one is made under this object's lock for every
 * addition and published through a volatile field, and none changes once published, so a reader needs no lock,
 * sees only complete, immutable values, and allocates nothing to read them (a scrape walks them every time).
 */
public final class MetricRegistry {
    private static final System.Logger LOG = System.getLogger(MetricRegistry.class.getName());

    private final MetricStore store;
    private final EngineClock clock;
    private final int maxSeries;
    private final int maxHistograms;
    private final int maxFamilies;
    /** Elements of {@link #handles}, read with acquire and written with release semantics. */
    private static final VarHandle HANDLE = MethodHandles.arrayElementVarHandle(Object[].class);

    private final Map<String, FamilyRegistration> byName = new ConcurrentHashMap<>();
    /** By family index; copy-on-write under the lock, as {@link #families}. */
    private volatile FamilyRegistration[] registrations = new FamilyRegistration[0];
    private volatile List<FamilyMetadata> families = List.of();
    /**
     * The handle each family made for a series, by series id (null until its first lookup): 4 bytes a series, in
     * place of a field on every series. Grown (copied) under the lock before a new series is published, so every
     * registered id has a slot; a handle stored into the array being replaced is lost, which only means the next
     * lookup makes an equal handle for the same slot.
     */
    private volatile Object[] handles = new Object[16];
    private volatile List<SeriesCallback> callbacks = List.of();
    /** The same bindings by series id, to rebind; under the lock. */
    private final Map<Integer, SeriesCallback> callbackBySeries = new HashMap<>();
    private int nextSeriesId;
    private int nextHistogramIndex;
    private int reservedSeries;
    private int reservedHistograms;
    private FamilyRegistration overflowCounts;
    /** Most distinct exemplar label sets an engine resolves. */
    public static final int MAX_EXEMPLAR_LABEL_SETS = 10_000;
    private final Map<Map<String, String>, ExemplarLabels> exemplarLabels = new HashMap<>();
    private volatile Consumer<SeriesMetadata> overflowListener = series -> { };

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
    public synchronized void onOverflow(FamilyMetadata counts, Consumer<SeriesMetadata> listener) {
        if (counts.type() != MetricType.COUNTER || counts.labelNames().size() != 1) {
            throw new IllegalArgumentException("overflow counts need a counter family with one label, got " + counts.name());
        }
        this.overflowCounts = registration(counts);
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
    public synchronized FamilyMetadata registerFamily(MetricType type, String name, String help, Unit unit,
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
        FamilyRegistration registered = byName.get(name);
        if (registered != null) {
            FamilyMetadata existing = registered.metadata;
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
        if (families.size() >= maxFamilies) {
            throw new IllegalStateException("cannot register metric '" + name + "': the store holds at most "
                    + maxFamilies + " families (MetricsEngine.Builder.maxFamilies)");
        }
        reserve(name, type, !labelNames.isEmpty());
        // One table per family, shared by its series: the aggregator maps each record to its classic bucket with it.
        ClassicBuckets classic = type.isDistribution()
                ? ClassicBuckets.of(store.histogramLayout(), bounds, type.exportScale()) : null;
        FamilyMetadata family = new FamilyMetadata(families.size(), type, name, help, unit, labelNames,
                cardinalityLimit, classic);
        store.writeFamily(family.index(), MetricStore.typeCode(type), name, unit == null ? "" : unit.name(), help, labelNames,
                bounds);
        FamilyRegistration registration = new FamilyRegistration(family);
        byName.put(name, registration);
        FamilyRegistration[] nextRegistrations = Arrays.copyOf(registrations, registrations.length + 1);
        nextRegistrations[registrations.length] = registration;
        registrations = nextRegistrations;
        families = append(families, family);
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
    public SeriesMetadata series(FamilyMetadata metadata, String... labelValues) {
        FamilyRegistration family = registration(metadata);
        NameRules.checkLabelValues(metadata.name(), metadata.labelNames(), labelValues);
        List<String> key = List.of(labelValues);
        SeriesMetadata found = family.byLabels.get(key);
        if (found != null) {
            return found;
        }
        SeriesMetadata created = create(family, key);
        if (created.isOverflow()) {
            // The count series was created under the lock with the overflow series: no lookup here, so counting an
            // overflow can never overflow (and recurse) in turn.
            SeriesMetadata count = family.overflowCountSeries;
            if (count != null) {
                overflowListener.accept(count);
            }
        }
        return created;
    }

    private synchronized SeriesMetadata create(FamilyRegistration family, List<String> key) {
        SeriesMetadata found = family.byLabels.get(key);
        if (found != null) {
            return found;
        }
        int labelBytes = MetricStore.encodedLength(key);
        if (labelBytes > MetricStore.maxLabelBytes()) {
            throw new IllegalArgumentException("label values " + key + " of metric '" + family.metadata.name() + "' take "
                    + labelBytes + " bytes in the store, more than the " + MetricStore.maxLabelBytes() + " a series record holds");
        }
        boolean onlySeries = family.distinctLabelSets == 0 && family.metadata.labelNames().isEmpty();
        String refusal = onlySeries ? null : refusal(family);
        if (refusal != null) {
            if (family.overflowSeries == null) {
                LOG.log(System.Logger.Level.WARNING, "metric '" + family.metadata.name() + "': " + refusal + "; label set "
                        + key + " and every new one after it go to the overflow series " + family.metadata.name()
                        + "{otel_metric_overflow=\"true\"}, counted in streammetrics_cardinality_overflow_total{metric=\""
                        + family.metadata.name() + "\"} (logged once per metric)");
            }
            return overflow(family);
        }
        if (onlySeries) {
            // The family's reservation was for this, its only series.
            release(family.metadata.type());
        }
        SeriesMetadata series = newSeries(family, key, false);
        family.distinctLabelSets++;
        family.byLabels.put(key, series);
        return series;
    }

    /** Why a new label set of {@code family} gets no series of its own, naming the setting to raise; null if it does. */
    private String refusal(FamilyRegistration family) {
        if (family.distinctLabelSets >= family.metadata.cardinalityLimit()) {
            return "its cardinality limit of " + family.metadata.cardinalityLimit() + " label sets is reached (cardinalityLimit "
                    + "on the family's builder, default MetricsEngine.Builder.cardinalityLimit)";
        }
        if (nextSeriesId + reservedSeries >= maxSeries) {
            return "the store holds at most " + maxSeries + " series (MetricsEngine.Builder.maxSeries)";
        }
        if (family.metadata.type().isDistribution() && nextHistogramIndex + reservedHistograms >= maxHistograms) {
            return "the store holds at most " + maxHistograms + " histogram series (MetricsEngine.Builder.maxHistograms)";
        }
        if (!store.hasRoomForSeries()) {
            return "the store's memory limit of " + store.memoryLimit() + " bytes is reached ("
                    + store.bytesTaken() + " taken; MetricsEngine.Builder.storeMemoryLimit)";
        }
        return null;
    }

    private SeriesMetadata overflow(FamilyRegistration family) {
        SeriesMetadata overflow = family.overflowSeries;
        if (overflow == null) {
            release(family.metadata.type());
            if (!family.metadata.labelNames().isEmpty()) {
                // The overflow-count series' slot, reserved with the family: free it for countSeries below.
                reservedSeries--;
            }
            List<String> blanks = Collections.nCopies(family.metadata.labelNames().size(), "");
            overflow = newSeries(family, blanks, true);
            family.overflowSeries = overflow;
            FamilyRegistration counts = overflowCounts;
            if (counts != null && counts != family) {
                family.overflowCountSeries = countSeries(counts, family.metadata.name());
            }
        }
        return overflow;
    }

    /** The series of {@code counts} for family {@code name}, created in the slot its family had reserved. */
    private SeriesMetadata countSeries(FamilyRegistration counts, String name) {
        List<String> key = List.of(name);
        SeriesMetadata found = counts.byLabels.get(key);
        if (found != null) {
            return found;
        }
        if (MetricStore.encodedLength(key) > MetricStore.maxLabelBytes()
                || counts.distinctLabelSets >= counts.metadata.cardinalityLimit()) {
            return overflow(counts);
        }
        SeriesMetadata series = newSeries(counts, key, false);
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

    private SeriesMetadata newSeries(FamilyRegistration family, List<String> labelValues, boolean overflow) {
        FamilyMetadata metadata = family.metadata;
        int id = nextSeriesId++;
        int histogramIndex = metadata.type().isDistribution() ? nextHistogramIndex++ : -1;
        SeriesMetadata series = new SeriesMetadata(id, metadata, labelValues, histogramIndex, overflow,
                clock.epochMillis());
        store.writeSeries(id, metadata.index(), histogramIndex, labelValues, series.createdMillis(),
                metadata.classicBuckets());
        if (id >= handles.length) {
            handles = Arrays.copyOf(handles, Math.max(2 * handles.length, id + 1));
        }
        family.series = append(family.series, series);
        return series;
    }

    /** A new unmodifiable list: {@code list} and then {@code element}. */
    @SuppressWarnings("unchecked")
    private static <T> List<T> append(List<T> list, T element) {
        Object[] next = list.toArray(new Object[list.size() + 1]);
        next[list.size()] = element;
        return (List<T>) Collections.unmodifiableList(Arrays.asList(next));
    }

    /** The registration of {@code family}, which must be one of this registry's. */
    private FamilyRegistration registration(FamilyMetadata family) {
        FamilyRegistration[] current = registrations;
        int index = family.index();
        if (index < 0 || index >= current.length || current[index].metadata != family) {
            throw new IllegalArgumentException("family " + family.name() + " is not registered in this registry");
        }
        return current[index];
    }

    /** Every family, in registration order: an unmodifiable list that does not change (later families are not in it). */
    public List<FamilyMetadata> families() {
        return families;
    }

    /** The family registered under {@code name}, or null. */
    public FamilyMetadata family(String name) {
        FamilyRegistration registration = byName.get(name);
        return registration == null ? null : registration.metadata;
    }

    /**
     * The series of {@code family} registered so far, in registration order (its overflow series, once it exists,
     * where it was created): an unmodifiable list that does not change; series registered later are in the next
     * call's.
     */
    public List<SeriesMetadata> seriesOf(FamilyMetadata family) {
        return registration(family).series;
    }

    /** The overflow series of {@code family}, or null if no label set has overflowed. */
    public SeriesMetadata overflowSeries(FamilyMetadata family) {
        return registration(family).overflowSeries;
    }

    /** The handle cached for {@code series} by {@link #handle(SeriesMetadata, Object)}, or null. */
    public Object handle(SeriesMetadata series) {
        return HANDLE.getAcquire(handles, series.id());
    }

    /**
     * Caches the handle of {@code series} (the family's handle for its slot). Two threads may both make a handle for
     * a new series; both address the same slot, so whichever stays is right.
     */
    public void handle(SeriesMetadata series, Object handle) {
        HANDLE.setRelease(handles, series.id(), handle);
    }

    /**
     * Binds {@code supplier} to {@code series}, a counter's or gauge's: snapshots sample it from now on. Binding
     * again replaces the supplier.
     */
    public synchronized void callback(SeriesMetadata series, DoubleSupplier supplier) {
        Objects.requireNonNull(supplier, "supplier");
        SeriesCallback bound = callbackBySeries.get(series.id());
        if (bound != null) {
            bound.supplier(supplier);
            return;
        }
        SeriesCallback callback = new SeriesCallback(series, supplier);
        callbackBySeries.put(series.id(), callback);
        callbacks = append(callbacks, callback);
    }

    /** Every callback binding, in binding order: an unmodifiable list that does not change. */
    public List<SeriesCallback> callbacks() {
        return callbacks;
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
