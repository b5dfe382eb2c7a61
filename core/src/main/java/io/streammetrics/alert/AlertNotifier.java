package io.streammetrics.alert;

/**
 * Receives alert events. The evaluator hands each notifier its events through that notifier's own bounded queue
 * and thread, so a slow or failing notifier never delays evaluation or the other notifiers; events that do not fit
 * the queue are dropped and counted.
 */
public interface AlertNotifier {
    /** A short name for logs and the {@code notifier} label of the notification self-metrics. */
    String name();

    /**
     * Delivers one event. May block (network I/O) and may throw: the caller counts a thrown exception as a failed
     * notification and carries on.
     */
    void notify(AlertEvent event) throws Exception;
}
