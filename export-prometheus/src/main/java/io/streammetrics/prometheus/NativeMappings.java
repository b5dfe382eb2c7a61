package io.streammetrics.prometheus;

import io.streammetrics.common.HistogramLayout;
import io.streammetrics.internal.exponential.ExponentialBucketMapping;
import io.streammetrics.internal.exponential.ExponentialScale;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One collector's native bucket mappings, each made on the first collect that exports native buckets with it and
 * shared by every family of the same unit and settings: a table of a few thousand entries that a text-only user never
 * needs, hence not made with the plan. Thread-safe.
 */
final class NativeMappings {
    private final HistogramLayout layout;
    private final Map<Key, ExponentialBucketMapping> mappings = new ConcurrentHashMap<>();
    private final Function<Key, ExponentialBucketMapping> create = this::create;

    NativeMappings(HistogramLayout layout) {
        this.layout = layout;
    }

    /** The mapping for {@code key}, made on first use. */
    ExponentialBucketMapping get(Key key) {
        ExponentialBucketMapping mapping = mappings.get(key);
        return mapping != null ? mapping : mappings.computeIfAbsent(key, create);
    }

    private ExponentialBucketMapping create(Key key) {
        return new ExponentialBucketMapping(layout, key.divisor, key.initialSchema,
                ExponentialScale.PROMETHEUS_MIN_SCHEMA, key.minZeroThreshold);
    }

    /**
     * What tells two mappings apart: the divisor to exported units (timers and other histograms differ) and the
     * settings that shape the table ({@link NativeSettings} less the bucket limit, which applies per series).
     */
    record Key(double divisor, int initialSchema, double minZeroThreshold) {
        static Key of(double divisor, NativeSettings settings) {
            return new Key(divisor, settings.initialSchema(), settings.minZeroThreshold());
        }
    }
}
