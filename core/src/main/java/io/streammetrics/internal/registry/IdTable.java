package io.streammetrics.internal.registry;

import java.util.Arrays;
import java.util.function.Function;

/**
 * Values kept by a dense id (a family's index, a series' id), filled on first sight and never removed, as families
 * and series are never unregistered: what an exporter worked out once for a family or series (its plan, its encoded labels).
 * Grows by doubling. Not thread-safe: exporters use one only from store visits, which the engine runs one at a
 * time under its snapshot lock.
 */
public final class IdTable<T> {
    private Object[] values;

    /** An empty table with room for ids below {@code initialCapacity} before it first grows. */
    public IdTable(int initialCapacity) {
        this.values = new Object[initialCapacity];
    }

    /**
     * The value kept for {@code id}, made from {@code key} by {@code create} on first sight. Pass a function that
     * captures nothing (or one kept in a field), so that a lookup allocates nothing.
     */
    @SuppressWarnings("unchecked")
    public <K> T computeIfAbsent(int id, K key, Function<? super K, ? extends T> create) {
        if (id < values.length && values[id] != null) {
            return (T) values[id];
        }
        T value = create.apply(key);
        if (id >= values.length) {
            values = Arrays.copyOf(values, Math.max(2 * values.length, id + 1));
        }
        values[id] = value;
        return value;
    }
}
