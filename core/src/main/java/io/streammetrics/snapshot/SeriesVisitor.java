package io.streammetrics.snapshot;

import io.streammetrics.metadata.FamilyMetadata;

/**
 * Receives every family and series of one consistent read of the store, in registration order, without a
 * {@link MetricsSnapshot} being built: for exporters that render straight from the store and must not allocate per
 * series (see {@code MetricsEngine.snapshot(SeriesVisitor)}). The same consistency holds as for a snapshot: each
 * histogram's count equals the sum of its buckets, all histograms are read as of the same read epoch.
 *
 * <p>Callbacks run on the reading thread while the store's read epoch is open and other snapshots wait, so they
 * should render and return, not block.
 */
public interface SeriesVisitor {
    /**
     * Called once per family, before its series (also for a family without series).
     *
     * @param timestampMillis the read's time on the engine clock, the same for every family
     */
    void family(FamilyMetadata family, long timestampMillis);

    /**
     * Called once per series of the family last passed to {@link #family}. The cursor is reused for the next
     * series: read what is needed before returning.
     */
    void series(SeriesCursor cursor);
}
