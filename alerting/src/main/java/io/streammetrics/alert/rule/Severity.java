package io.streammetrics.alert.rule;

import java.util.Locale;

/** How bad a firing alert is, in increasing order; escalation moves an alert one step up. */
public enum Severity {
    INFO, WARNING, CRITICAL, FATAL;

    /** The lower-case name used in labels, JSON and rule files ({@code "warning"}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The next severity up, or this one if it is already {@link #FATAL}. */
    public Severity escalated() {
        return this == FATAL ? FATAL : values()[ordinal() + 1];
    }

    /**
     * Parses a severity name, case-insensitively.
     *
     * @throws IllegalArgumentException naming the bad value and the accepted ones
     */
    public static Severity parse(String text) {
        for (Severity severity : values()) {
            if (severity.name().equalsIgnoreCase(text)) {
                return severity;
            }
        }
        throw new IllegalArgumentException("unknown severity '" + text + "' (expected info, warning, critical or fatal)");
    }
}
