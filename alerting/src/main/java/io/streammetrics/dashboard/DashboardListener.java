package io.streammetrics.dashboard;

import io.streammetrics.snapshot.MetricsSnapshot;

/**
 * Told of every {@link Dashboard} refresh, so that a viewer keeping a history (the live console) is fed the numbers
 * computed once per interval instead of computing its own per viewer.
 */
@FunctionalInterface
public interface DashboardListener {
    /**
     * Called on the refreshing thread after each refresh; must be quick.
     *
     * @param snapshot the snapshot the refresh read (immutable; for what the data does not carry, e.g. histogram
     *                 buckets)
     * @param data     the data the refresh computed, the same {@link Dashboard#data()} now returns
     */
    void refreshed(MetricsSnapshot snapshot, DashboardData data);
}
