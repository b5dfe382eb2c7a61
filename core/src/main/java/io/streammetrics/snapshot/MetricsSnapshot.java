package io.streammetrics.snapshot;

import java.util.List;

/**
 * Every family of an engine at one moment: immutable, and consistent per series (a histogram's count equals the sum
 * of its buckets; a counter is never lower than in an earlier snapshot). Families are not captured atomically with
 * one another, as in every Prometheus client.
 */
public final class MetricsSnapshot {
    private final long timestampMillis;
    private final List<FamilySnapshot> families;

    MetricsSnapshot(long timestampMillis, List<FamilySnapshot> families) {
        this.timestampMillis = timestampMillis;
        this.families = families;
    }

    /** When the snapshot was taken, epoch millis (engine clock). */
    public long timestampMillis() {
        return timestampMillis;
    }

    public List<FamilySnapshot> families() {
        return families;
    }

    /** The family with this name (a counter's without {@code _total}), or null. */
    public FamilySnapshot family(String name) {
        for (FamilySnapshot family : families) {
            if (family.name().equals(name)) {
                return family;
            }
        }
        return null;
    }
}
