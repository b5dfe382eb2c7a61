package io.streammetrics.alert;

import java.util.ArrayDeque;
import java.util.List;

/** The most recent alert events, oldest first, bounded: the oldest goes when a new one does not fit. */
final class AlertHistory {
    private final ArrayDeque<AlertEvent> events;
    private final int capacity;

    AlertHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("alert history size must be positive, got " + capacity);
        }
        this.capacity = capacity;
        this.events = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    synchronized void add(AlertEvent event) {
        if (events.size() == capacity) {
            events.removeFirst();
        }
        events.addLast(event);
    }

    synchronized List<AlertEvent> snapshot() {
        return List.copyOf(events);
    }
}
