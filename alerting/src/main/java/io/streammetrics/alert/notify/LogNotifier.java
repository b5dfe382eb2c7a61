package io.streammetrics.alert.notify;

import io.streammetrics.alert.Alert;
import io.streammetrics.alert.AlertEvent;
import io.streammetrics.alert.AlertNotifier;
import io.streammetrics.alert.rule.Severity;

import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Writes each alert event to a {@link System.Logger} (by default {@code io.streammetrics.alert}), one line an event,
 * at a level that follows the alert's severity: info at INFO, warning at WARNING, critical and fatal at ERROR.
 * Resolutions and pending alerts are logged at INFO whatever the severity, since nothing is wrong (any more or yet).
 * Route the logger with the platform's logging configuration ({@code System.LoggerFinder}).
 */
public final class LogNotifier implements AlertNotifier {
    /** The default logger name. */
    public static final String DEFAULT_LOGGER = "io.streammetrics.alert";

    private final System.Logger logger;

    private LogNotifier(System.Logger logger) {
        this.logger = logger;
    }

    /** A notifier logging to {@value #DEFAULT_LOGGER}. */
    public static LogNotifier create() {
        return new LogNotifier(System.getLogger(DEFAULT_LOGGER));
    }

    /** A notifier logging to {@code logger}. */
    public static LogNotifier create(System.Logger logger) {
        return new LogNotifier(Objects.requireNonNull(logger, "logger"));
    }

    @Override
    public String name() {
        return "log";
    }

    @Override
    public void notify(AlertEvent event) {
        Level level = level(event);
        if (logger.isLoggable(level)) {
            logger.log(level, message(event));
        }
    }

    /** The level {@code event} is logged at. */
    static Level level(AlertEvent event) {
        if (event.kind() == AlertEvent.Kind.RESOLVED || event.kind() == AlertEvent.Kind.PENDING) {
            return Level.INFO;
        }
        Severity severity = event.alert().severity();
        return switch (severity) {
            case INFO -> Level.INFO;
            case WARNING -> Level.WARNING;
            case CRITICAL, FATAL -> Level.ERROR;
        };
    }

    /** The line logged for {@code event}: kind, rule, severity, value, labels and summary. */
    static String message(AlertEvent event) {
        Alert alert = event.alert();
        StringBuilder line = new StringBuilder(128)
                .append("alert ").append(event.kind().name().toLowerCase(Locale.ROOT)).append(": ")
                .append(alert.ruleName()).append(" [").append(alert.severity().label()).append("] value=")
                .append(alert.value()).append(' ').append(new TreeMap<>(alert.labels()));
        String summary = alert.annotations().get("summary");
        if (summary != null) {
            line.append(" - ").append(summary);
        }
        if (alert.isAcknowledged()) {
            line.append(" (acknowledged by ").append(alert.acknowledgedBy()).append(')');
        }
        return line.toString();
    }
}
