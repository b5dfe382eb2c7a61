package io.streammetrics.health;

import io.streammetrics.alert.rule.Severity;

import java.util.Locale;

/** How well the process is doing, in increasing order of trouble. */
public enum HealthStatus {
    /** Everything works. */
    HEALTHY,
    /** Working, but something needs attention (a warning alert fires, a non-essential dependency is down). */
    DEGRADED,
    /** Not doing its job (a critical alert fires, an essential dependency is down, a check failed). */
    CRITICAL;

    /** The lower-case name used in JSON ({@code "degraded"}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The worse of this status and {@code other}. */
    public HealthStatus worst(HealthStatus other) {
        return other.compareTo(this) > 0 ? other : this;
    }

    /** What a firing alert of {@code severity} says about health: info nothing, warning degraded, above critical. */
    public static HealthStatus of(Severity severity) {
        return switch (severity) {
            case INFO -> HEALTHY;
            case WARNING -> DEGRADED;
            case CRITICAL, FATAL -> CRITICAL;
        };
    }
}
