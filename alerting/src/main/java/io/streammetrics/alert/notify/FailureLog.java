package io.streammetrics.alert.notify;

import io.streammetrics.common.EngineClock;

/**
 * Logs a repeating failure as one line at most once per interval, with how many failures the line stands for, and
 * without a stack trace: a receiver that keeps refusing fails the same way at every resend, and a trace per attempt
 * would bury everything else in the log. The failures themselves are counted by the caller.
 */
final class FailureLog {
    private final System.Logger log;
    private final EngineClock clock;
    private final long intervalMillis;
    private final Object lock = new Object();
    private long lastLoggedMillis;
    private boolean logged;
    private long suppressed;

    FailureLog(System.Logger log, EngineClock clock, long intervalMillis) {
        this.log = log;
        this.clock = clock;
        this.intervalMillis = intervalMillis;
    }

    /** Logs {@code what} and the failure's message chain on one line, unless a line was logged within the interval. */
    void failed(String what, Throwable failure) {
        long now = clock.epochMillis();
        long skipped;
        synchronized (lock) {
            if (logged && now - lastLoggedMillis < intervalMillis) {
                suppressed++;
                return;
            }
            logged = true;
            lastLoggedMillis = now;
            skipped = suppressed;
            suppressed = 0;
        }
        StringBuilder line = new StringBuilder(what).append(": ").append(oneLine(failure));
        if (skipped > 0) {
            line.append(" (and ").append(skipped).append(" more failure(s) since the last line)");
        }
        line.append("; logged at most once per ").append(intervalMillis / 1000).append(" s");
        log.log(System.Logger.Level.WARNING, line.toString());
    }

    /** The messages of a failure, its suppressed failures and causes, on one line. */
    static String oneLine(Throwable failure) {
        StringBuilder text = new StringBuilder(String.valueOf(failure.getMessage()));
        for (Throwable each : failure.getSuppressed()) {
            text.append("; ").append(each.getMessage());
        }
        for (Throwable cause = failure.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(" (caused by ").append(cause).append(')');
        }
        return text.toString().replace('\n', ' ').replace('\r', ' ');
    }
}
