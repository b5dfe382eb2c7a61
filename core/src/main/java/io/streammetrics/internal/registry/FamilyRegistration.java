package io.streammetrics.internal.registry;

import io.streammetrics.metadata.FamilyMetadata;
import io.streammetrics.metadata.SeriesMetadata;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry's own, mutable state of one family: its series by label values and in registration order, its
 * overflow series and how many label sets it has admitted. Never leaves the registry: readers get the family's
 * {@link FamilyMetadata} and the series list {@link MetricRegistry#seriesOf(FamilyMetadata)} publishes.
 */
final class FamilyRegistration {
    final FamilyMetadata metadata;
    /** Read without a lock on lookups, written under the registry's lock. */
    final Map<List<String>, SeriesMetadata> byLabels = new ConcurrentHashMap<>();
    /**
     * Series in registration order (overflow last once it exists). Copy-on-write under the registry's lock, an
     * unmodifiable list never changed once published: a reader that reads this volatile sees a complete list of
     * fully built, immutable series, without a lock.
     */
    volatile List<SeriesMetadata> series = List.of();
    volatile SeriesMetadata overflowSeries;
    /** The series counting lookups routed to {@link #overflowSeries}, set with it; null without overflow accounting. */
    volatile SeriesMetadata overflowCountSeries;
    /** Label sets admitted so far; under the registry's lock. */
    int distinctLabelSets;

    FamilyRegistration(FamilyMetadata metadata) {
        this.metadata = metadata;
    }
}
