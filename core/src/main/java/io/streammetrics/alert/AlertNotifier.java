package io.streammetrics.alert;

import java.util.Objects;
import java.util.function.Consumer;

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

    /**
     * An in-process listener as a notifier: the fastest way for a processor to react to its own alerts (shed load,
     * open a circuit). It runs on the notifier's own thread like any other.
     */
    static AlertNotifier listener(String name, Consumer<AlertEvent> listener) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(listener, "listener");
        return new AlertNotifier() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void notify(AlertEvent event) {
                listener.accept(event);
            }
        };
    }
}
