package io.streammetrics.alert;

import io.streammetrics.alert.rule.AlertRule;
import io.streammetrics.alert.rule.Escalation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Where an {@link AlertEvaluator}'s events go: one {@link NotificationDispatcher} (queue, thread, counts) per
 * notifier, the notifiers of rules that name none, and a rule's escalation target. Also what each notifier was sent
 * ({@link #stats}) and which firing alerts are its ({@link #firing}).
 *
 * <p>Threads: built once with the evaluator and never changed after (the maps are not written again), so any thread
 * reads it without a lock: the evaluating thread routes events, notifier threads ask for their firing alerts,
 * operators for statistics. Each dispatcher is thread-safe on its own.
 */
final class NotifierRoutes {
    private final Map<String, NotificationDispatcher> dispatchers;
    private final Set<String> defaultNotifiers;

    /** A notifier as the builder was given it: escalation-only ones get only the events routed to them by name. */
    record Registration(AlertNotifier notifier, boolean escalationOnly) {
    }

    /**
     * Starts one dispatcher thread per notifier.
     *
     * @param outcomes called with (notifier name, sent|failed|dropped) for every event
     */
    NotifierRoutes(List<Registration> registrations, int queueCapacity, BiConsumer<String, String> outcomes) {
        Map<String, NotificationDispatcher> byName = new LinkedHashMap<>();
        Set<String> defaults = new LinkedHashSet<>();
        for (Registration registration : registrations) {
            String name = registration.notifier().name();
            byName.put(name, new NotificationDispatcher(registration.notifier(), queueCapacity, outcomes));
            if (!registration.escalationOnly()) {
                defaults.add(name);
            }
        }
        this.dispatchers = Collections.unmodifiableMap(byName);
        this.defaultNotifiers = Collections.unmodifiableSet(defaults);
    }

    /** Whether a notifier of this name is registered. */
    boolean contains(String notifier) {
        return dispatchers.containsKey(notifier);
    }

    /** The registered notifiers' names, in registration order. */
    Set<String> names() {
        return dispatchers.keySet();
    }

    /** The notifiers the events of {@code rule}'s alerts go to, once escalated or not. */
    Set<String> targets(AlertRule rule, boolean escalated) {
        Set<String> targets = new LinkedHashSet<>(rule.notifiers().isEmpty() ? defaultNotifiers : rule.notifiers());
        Escalation escalation = rule.escalation();
        if (escalated && escalation != null && escalation.notifier() != null) {
            targets.add(escalation.notifier());
        }
        return targets;
    }

    /** Queues {@code event} for every notifier of {@code rule} (and its escalation target once escalated). */
    void dispatch(AlertRule rule, AlertEvent event, boolean escalated) {
        for (String target : targets(rule, escalated)) {
            dispatchers.get(target).offer(event);
        }
    }

    /**
     * See {@link AlertEvaluator#firingAlerts(String)}: of {@code active}, the firing alerts of a rule of
     * {@code rules} routed to {@code notifier} and not silenced at {@code atMillis}.
     */
    List<Alert> firing(String notifier, List<Alert> active, Map<String, AlertRule> rules, SilenceList silences,
                       long atMillis) {
        List<Alert> firing = new ArrayList<>();
        for (Alert alert : active) {
            AlertRule rule = rules.get(alert.ruleName());
            if (alert.state() == AlertState.FIRING && rule != null
                    && targets(rule, alert.escalated()).contains(notifier)
                    && !silences.silenced(alert.labels(), atMillis)) {
                firing.add(alert);
            }
        }
        return firing;
    }

    /**
     * What happened to the events of one notifier.
     *
     * @throws IllegalArgumentException if no notifier has this name
     */
    NotificationStats stats(String notifier) {
        return dispatcher(notifier).stats();
    }

    /**
     * Checks that a notifier of this name is registered.
     *
     * @throws IllegalArgumentException if none is
     */
    void requireKnown(String notifier) {
        dispatcher(notifier);
    }

    private NotificationDispatcher dispatcher(String notifier) {
        NotificationDispatcher dispatcher = dispatchers.get(notifier);
        if (dispatcher == null) {
            throw new IllegalArgumentException("no notifier named '" + notifier + "'");
        }
        return dispatcher;
    }

    /** Stops the dispatcher threads at once, leaving the notifiers open (theirs to close who still owns them). */
    void stopThreads() {
        dispatchers.values().forEach(dispatcher -> dispatcher.close(0));
    }

    /**
     * Stops the dispatcher threads (each given up to a second to send what is queued), then closes the notifiers
     * that are {@link AutoCloseable}; one whose close throws is logged and the others are still closed.
     */
    void close() {
        for (NotificationDispatcher dispatcher : dispatchers.values()) {
            dispatcher.close();
        }
        for (NotificationDispatcher dispatcher : dispatchers.values()) {
            dispatcher.closeNotifier();
        }
    }
}
