package io.streammetrics.snapshot;

import io.streammetrics.internal.aggregate.CallbackWrites;
import io.streammetrics.common.EngineClock;
import io.streammetrics.common.MetricType;
import io.streammetrics.internal.registry.MetricRegistry;
import io.streammetrics.internal.store.MetricStore;
import io.streammetrics.metadata.FamilyMetadata;
import io.streammetrics.metadata.SeriesMetadata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Takes {@link MetricsSnapshot}s from any thread without stopping the aggregator: samples callback gauges and
 * counters ({@link CallbackSampler}), opens a read epoch on the store ({@link MetricStore}) and copies every series
 * out. Snapshots are taken one at a time. Families and series are read through their immutable metadata and the
 * registry's published series lists, without a lock of the registry's.
 */
public final class SnapshotTaker {
    private final MetricStore store;
    private final MetricRegistry registry;
    private final EngineClock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final CallbackSampler callbacks;
    private final SeriesCursor cursor;

    /** @param writes where sampled callback values go to reach the store (the aggregator applies them) */
    public SnapshotTaker(MetricStore store, MetricRegistry registry, CallbackWrites writes, EngineClock clock) {
        this.store = store;
        this.registry = registry;
        this.clock = clock;
        this.callbacks = new CallbackSampler(writes);
        this.cursor = new SeriesCursor(store, callbacks);
    }

    /**
     * Takes a snapshot.
     *
     * @param publishSamples whether sampled callback values are also offered to the store (false once the engine
     *                       is closed and nothing would apply them)
     */
    public MetricsSnapshot take(boolean publishSamples) {
        PointCollector points = new PointCollector();
        long timestampMillis = read(points, publishSamples);
        return new MetricsSnapshot(timestampMillis, Collections.unmodifiableList(points.families));
    }

    /**
     * Passes every family and series to {@code visitor} within one read epoch, as {@link #take} reads them but
     * without copying anything out (see {@link SeriesVisitor}). Reads are serialized with snapshots.
     *
     * @param publishSamples as for {@link #take}
     * @return the read's timestamp (engine clock, epoch millis), also passed to {@link SeriesVisitor#family}
     */
    public long read(SeriesVisitor visitor, boolean publishSamples) {
        lock.lock();
        try {
            List<FamilyMetadata> families = registry.families();
            callbacks.sampleAll(registry.callbacks(), publishSamples);
            long timestampMillis = clock.epochMillis();
            long epoch = store.beginRead();
            try {
                // Indexed loops: a scrape that renders straight from the store allocates nothing here.
                for (int f = 0; f < families.size(); f++) {
                    FamilyMetadata family = families.get(f);
                    visitor.family(family, timestampMillis);
                    List<SeriesMetadata> series = registry.seriesOf(family);
                    for (int s = 0; s < series.size(); s++) {
                        cursor.moveTo(series.get(s), epoch);
                        visitor.series(cursor);
                    }
                }
                return timestampMillis;
            } finally {
                store.endRead();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Callback failures so far. */
    public long callbackErrors() {
        return callbacks.errors();
    }

    /** Builds the immutable snapshot from a visit. */
    private static final class PointCollector implements SeriesVisitor {
        final List<FamilySnapshot> families = new ArrayList<>();
        private List<SeriesPoint> points;

        @Override
        public void family(FamilyMetadata family, long timestampMillis) {
            points = new ArrayList<>();
            families.add(new FamilySnapshot(family, Collections.unmodifiableList(points)));
        }

        @Override
        public void series(SeriesCursor cursor) {
            points.add(cursor.toPoint());
        }
    }
}
