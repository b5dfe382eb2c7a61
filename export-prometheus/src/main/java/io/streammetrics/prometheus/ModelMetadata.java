package io.streammetrics.prometheus;

import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * client_java's metadata of a family (name, help, unit): what its model snapshots carry, and, since client_java
 * validates it, what decides whether a family can be exported at all ({@link FamilyPlans} asks it once per family,
 * so that both renderers leave out the same families).
 */
final class ModelMetadata {
    private ModelMetadata() {
    }

    /**
     * client_java's metadata for a name, help (or null) and unit name (or null).
     *
     * @throws RuntimeException when client_java rejects them
     */
    static MetricMetadata of(String name, String help, String unit) {
        return new MetricMetadata(name, help, unit == null ? null : new Unit(unit));
    }

    /** client_java's metadata of a planned family. */
    static MetricMetadata of(FamilyPlan plan) {
        return of(plan.name, plan.help, plan.unit);
    }
}
