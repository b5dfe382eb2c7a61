package io.streammetrics.alert.rule;

import io.streammetrics.common.Durations;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One multi-window pair of an SLO burn-rate alert (Google SRE workbook, "Alerting on SLOs"): it fires when the error
 * budget burns faster than {@code burnRate} times the sustainable rate over both the long window (the budget really
 * is going) and the short one (it still is, so the alert resolves soon after the burn stops).
 *
 * @param longWindow  the long window, such as 1 h
 * @param shortWindow the short window, such as 5 min (usually a twelfth of the long one)
 * @param burnRate    the factor, such as 14.4 (2 % of a 30-day budget in one hour)
 * @param severity    the severity of this pair's alert
 */
public record BurnWindow(Duration longWindow, Duration shortWindow, double burnRate, Severity severity) {
    /** The workbook's defaults: 1 h/5 min at 14.4 and 6 h/30 min at 6 page (critical), 3 d/6 h at 1 is a ticket. */
    public static final List<BurnWindow> DEFAULTS = List.of(
            new BurnWindow(Duration.ofHours(1), Duration.ofMinutes(5), 14.4, Severity.CRITICAL),
            new BurnWindow(Duration.ofHours(6), Duration.ofMinutes(30), 6, Severity.CRITICAL),
            new BurnWindow(Duration.ofDays(3), Duration.ofHours(6), 1, Severity.WARNING));

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException naming a bad field
     */
    public BurnWindow {
        Objects.requireNonNull(longWindow, "longWindow");
        Objects.requireNonNull(shortWindow, "shortWindow");
        Objects.requireNonNull(severity, "severity");
        if (shortWindow.isNegative() || shortWindow.isZero() || shortWindow.compareTo(longWindow) >= 0) {
            throw new IllegalArgumentException("burn-rate short window (" + Durations.format(shortWindow)
                    + ") must be positive and shorter than the long window (" + Durations.format(longWindow) + ")");
        }
        if (!(burnRate > 0)) {
            throw new IllegalArgumentException("burn rate must be positive, got " + burnRate);
        }
    }
}
