package io.streammetrics.alert;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

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
     * Called once by the evaluator this notifier is registered with, when the evaluator is built, with the alerts
     * that evaluator has firing for this notifier right now ({@link AlertEvaluator#firingAlerts(String)}): firing,
     * routed here, not silenced. A notifier that re-sends state on its own schedule (Alertmanager) follows it
     * instead of what its events told it, since an event dropped from a full queue would leave it wrong. The
     * supplier reads published state without the evaluator's lock, so it is quick and safe from any thread. The
     * default ignores it.
     *
     * @throws IllegalStateException if the notifier cannot follow this evaluator (it follows another already)
     */
    default void registered(Supplier<List<Alert>> firingAlerts) {
    }

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
