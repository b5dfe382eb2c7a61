package io.streammetrics.common;

import java.util.Objects;

/**
 * The base unit of a metric family, as Prometheus names it (the name suffix) — {@code seconds}, {@code bytes} and so
 * on. Record in base units: a timer records nanoseconds and exports seconds, everything else exports what it records.
 */
public final class Unit {
    public static final Unit SECONDS = new Unit("seconds");
    public static final Unit BYTES = new Unit("bytes");
    public static final Unit RATIO = new Unit("ratio");
    public static final Unit CELSIUS = new Unit("celsius");
    public static final Unit JOULES = new Unit("joules");
    public static final Unit GRAMS = new Unit("grams");
    public static final Unit METERS = new Unit("meters");
    public static final Unit VOLTS = new Unit("volts");
    public static final Unit AMPERES = new Unit("amperes");

    private final String name;

    /**
     * A unit by name: lower-case letters, digits and underscores.
     *
     * @throws IllegalArgumentException if the name is not a valid unit
     */
    public Unit(String name) {
        Objects.requireNonNull(name, "unit");
        if (!name.matches("[a-z0-9_]+") || name.startsWith("_") || name.endsWith("_")) {
            throw new IllegalArgumentException("invalid unit '" + name
                    + "': use lower-case letters, digits and inner underscores, as in 'seconds' or 'bytes'");
        }
        this.name = name;
    }

    /** The unit's name, as in a metric name suffix. */
    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Unit && ((Unit) other).name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
