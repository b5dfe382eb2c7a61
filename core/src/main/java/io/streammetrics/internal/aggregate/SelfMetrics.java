package io.streammetrics.internal.aggregate;

import io.streammetrics.common.MetricType;
import io.streammetrics.internal.registry.MetricRegistry;
import io.streammetrics.internal.ring.ProducerRings;
import io.streammetrics.internal.ring.RecordEvent;
import io.streammetrics.internal.store.MetricStore;
import io.streammetrics.metadata.FamilyMetadata;
import io.streammetrics.metric.CounterFamily;
import io.streammetrics.metric.Instruments;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * The engine's own health as ordinary {@code streammetrics_*} series, so that every loss shows in a scrape: events
 * published, applied and dropped (by reason), values rejected or clamped (by reason), label sets routed to overflow,
 * callback failures, ring capacity and fill, aggregator lag, errors and failure, and snapshots that gave up waiting. The aggregator writes them (it is the store's only
 * writer), from totals kept where each loss happens.
 */
public final class SelfMetrics {
    private final MetricStore store;
    private final MetricRegistry registry;
    private final ProducerRings rings;
    /** The snapshot side's total of failed gauge callbacks; null until the engine has wired it. */
    private LongSupplier callbackErrorTotal;
    private final int published;
    private final int applied;
    private final int droppedRingFull;
    private final int droppedClosed;
    private final int droppedFailed;
    private final int rejectedNan;
    private final int rejectedNegative;
    private final int rejectedInfinite;
    private final int rejectedInvalid;
    private final int clampedAboveRange;
    private final int callbackErrors;
    private final int exemplarsDropped;
    private final int ringRemaining;
    private final int ringFill;
    private final int ringProducers;
    private final int lag;
    private final int seriesCount;
    private final int aggregatorErrors;
    private final int aggregatorFailed;
    private final int snapshotTimeouts;
    private final int storeBytes;
    private final int storeLimit;

    /** Registers the self-metric families; call before any user family so they keep the lowest slots. */
    public SelfMetrics(MetricStore store, MetricRegistry registry, ProducerRings rings, Instruments instruments) {
        this.store = store;
        this.registry = registry;
        this.rings = rings;
        this.published = counter("streammetrics_events_published", "Record events published to the rings.", List.of());
        this.applied = counter("streammetrics_events_applied", "Record events applied to the store by the aggregator.", List.of());
        FamilyMetadata dropped = family(MetricType.COUNTER, "streammetrics_events_dropped",
                "Record events dropped before reaching the aggregator, by reason.", List.of("reason"));
        this.droppedRingFull = registry.series(dropped, "ring_full").id();
        this.droppedClosed = registry.series(dropped, "closed").id();
        this.droppedFailed = registry.series(dropped, "failed").id();
        FamilyMetadata rejected = family(MetricType.COUNTER, "streammetrics_values_rejected",
                "Recorded values rejected by the aggregator, by reason.", List.of("reason"));
        this.rejectedNan = registry.series(rejected, "nan").id();
        this.rejectedNegative = registry.series(rejected, "negative").id();
        this.rejectedInfinite = registry.series(rejected, "infinite").id();
        this.rejectedInvalid = registry.series(rejected, "invalid").id();
        FamilyMetadata clamped = family(MetricType.COUNTER, "streammetrics_values_clamped",
                "Recorded values clamped into the histogram range, by reason.", List.of("reason"));
        this.clampedAboveRange = registry.series(clamped, "above_range").id();
        this.exemplarsDropped = counter("streammetrics_exemplars_dropped",
                "Exemplars dropped on their way to the store: a thread's exemplar buffer was full or the engine closed.",
                List.of());
        this.callbackErrors = counter("streammetrics_callback_errors", "Callback gauge samples that threw.", List.of());
        this.ringRemaining = gauge("streammetrics_ring_remaining_capacity", "Free slots of the fullest producer ring.");
        // The same reading as a share of the ring, so that one alert threshold fits every ring size.
        this.ringFill = gauge("streammetrics_ring_fill_ratio", "Used share (0 to 1) of the fullest producer ring.");
        this.ringProducers = gauge("streammetrics_ring_producers", "Threads holding a dedicated producer ring.");
        this.lag = gauge("streammetrics_aggregator_lag_events", "Published events the aggregator has not applied yet.");
        this.seriesCount = gauge("streammetrics_series", "Series registered in the store.");
        this.aggregatorErrors = counter("streammetrics_aggregator_errors",
                "Errors the aggregator caught in a pass and survived.", List.of());
        // Only a reader of the store file sees it at 1: once the engine has failed, snapshots are refused.
        this.aggregatorFailed = gauge("streammetrics_aggregator_failed",
                "1 once the aggregator has stopped on an error it could not survive (the engine is FAILED).");
        this.snapshotTimeouts = counter("streammetrics_snapshot_timeouts",
                "Snapshots that stopped waiting for the aggregator before it had applied every earlier record.",
                List.of());
        this.storeBytes = gauge("streammetrics_store_bytes", "Bytes the store has taken, in segments, as series were "
                + "registered and their histograms filled.");
        this.storeLimit = gauge("streammetrics_store_limit_bytes", "The store's memory limit: past it (less a "
                + "reserve), new label sets go to their family's overflow series.");
        CounterFamily overflow = instruments.counter("streammetrics_cardinality_overflow")
                .help("Label-set lookups routed to a family's overflow series, by family.")
                .labelNames("metric")
                .cardinalityLimit(store.layout().maxFamilies())
                .register();
        // The registry hands over the count series itself: looking it up here could overflow and recurse.
        registry.onOverflow(registry.family(overflow.name()),
                series -> rings.publish(series.id(), RecordEvent.COUNTER_ADD, 1L));
    }

    /**
     * Lets the refresh read the callback failure count, kept by the snapshot side (a supplier rather than the
     * snapshot taker itself: the aggregator must not depend on the readers of what it writes).
     */
    public void callbackErrors(LongSupplier total) {
        this.callbackErrorTotal = total;
    }

    private FamilyMetadata family(MetricType type, String name, String help, List<String> labels) {
        return registry.registerFamily(type, name, help, null, labels, 64, null);
    }

    private int counter(String name, String help, List<String> labels) {
        return registry.series(family(MetricType.COUNTER, name, help, labels)).id();
    }

    private int gauge(String name, String help) {
        return registry.series(family(MetricType.GAUGE, name, help, List.of())).id();
    }

    /** Writes every self-metric; called by the store's writer only. */
    void refresh(Aggregator aggregator) {
        store.counterSet(published, rings.published());
        store.counterSet(applied, aggregator.applied());
        store.counterSet(droppedRingFull, rings.droppedFull());
        store.counterSet(droppedClosed, rings.droppedClosed());
        store.counterSet(droppedFailed, rings.droppedFailed());
        store.counterSet(rejectedNan, aggregator.rejectedNan());
        store.counterSet(rejectedNegative, aggregator.rejectedNegative());
        store.counterSet(rejectedInfinite, aggregator.rejectedInfinite());
        store.counterSet(rejectedInvalid, aggregator.rejectedInvalid());
        store.counterSet(clampedAboveRange, aggregator.clampedAboveRange());
        store.counterSet(exemplarsDropped, rings.exemplarsDropped());
        if (callbackErrorTotal != null) {
            store.counterSet(callbackErrors, callbackErrorTotal.getAsLong());
        }
        long remaining = rings.minRemainingCapacity();
        store.gaugeSet(ringRemaining, remaining);
        store.gaugeSet(ringFill, Math.max(0.0, 1.0 - (double) remaining / rings.ringSize()));
        store.gaugeSet(ringProducers, rings.dedicatedRings());
        store.gaugeSet(lag, rings.pending());
        store.gaugeSet(seriesCount, registry.seriesCount());
        store.counterSet(aggregatorErrors, aggregator.errors());
        store.gaugeSet(aggregatorFailed, aggregator.failure() == null ? 0 : 1);
        store.counterSet(snapshotTimeouts, aggregator.awaitTimeouts());
        store.gaugeSet(storeBytes, store.bytesTaken());
        store.gaugeSet(storeLimit, store.memoryLimit());
    }
}
