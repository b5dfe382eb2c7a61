package io.streammetrics.alert;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Mutes the notifications of the alerts whose labels match every matcher, until it expires, as an Alertmanager
 * silence. Silenced alerts are still evaluated, tracked, listed and recorded in the history; they are not sent.
 *
 * @param id            identity, for expiring it early
 * @param matchers      all must match an alert's labels (including {@code alertname} and {@code severity})
 * @param endsAtMillis  when it expires, epoch millis
 * @param createdBy     who created it
 * @param comment       why
 */
public record Silence(String id, List<LabelMatcher> matchers, long endsAtMillis, String createdBy, String comment) {
    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException without matchers (a silence of everything is a mistake)
     */
    public Silence {
        Objects.requireNonNull(id, "id");
        matchers = List.copyOf(matchers);
        if (matchers.isEmpty()) {
            throw new IllegalArgumentException("a silence needs at least one label matcher");
        }
    }

    /** A silence with a random id. */
    public static Silence of(List<LabelMatcher> matchers, long endsAtMillis, String createdBy, String comment) {
        return new Silence(UUID.randomUUID().toString(), matchers, endsAtMillis, createdBy, comment);
    }

    /** Whether it is in force at {@code nowMillis} and matches {@code labels}. */
    public boolean silences(Map<String, String> labels, long nowMillis) {
        if (nowMillis >= endsAtMillis) {
            return false;
        }
        for (LabelMatcher matcher : matchers) {
            if (!matcher.matches(labels)) {
                return false;
            }
        }
        return true;
    }
}
