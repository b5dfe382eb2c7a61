package io.streammetrics.alert;

import io.streammetrics.alert.expr.LabelMatcher;

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
    /** Most matchers in one silence (each runs against every alert at every evaluation). */
    public static final int MAX_MATCHERS = 32;
    /** Most characters in a matcher's value or regular expression. */
    public static final int MAX_MATCHER_VALUE_LENGTH = 1024;
    /** Most characters in {@code createdBy}. */
    public static final int MAX_CREATED_BY_LENGTH = 256;
    /** Most characters in {@code comment}. */
    public static final int MAX_COMMENT_LENGTH = 4096;

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException without matchers (a silence of everything is a mistake), or beyond one of
     *                                  the bounds above, naming it
     */
    public Silence {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(comment, "comment");
        matchers = List.copyOf(matchers);
        if (matchers.isEmpty()) {
            throw new IllegalArgumentException("a silence needs at least one label matcher");
        }
        if (matchers.size() > MAX_MATCHERS) {
            throw new IllegalArgumentException("a silence has at most " + MAX_MATCHERS + " matchers, got "
                    + matchers.size());
        }
        for (LabelMatcher matcher : matchers) {
            if (matcher.value().length() > MAX_MATCHER_VALUE_LENGTH) {
                throw new IllegalArgumentException("the value of matcher " + matcher.name() + " has "
                        + matcher.value().length() + " characters; at most " + MAX_MATCHER_VALUE_LENGTH);
            }
        }
        if (createdBy.length() > MAX_CREATED_BY_LENGTH) {
            throw new IllegalArgumentException("createdBy has " + createdBy.length() + " characters; at most "
                    + MAX_CREATED_BY_LENGTH);
        }
        if (comment.length() > MAX_COMMENT_LENGTH) {
            throw new IllegalArgumentException("comment has " + comment.length() + " characters; at most "
                    + MAX_COMMENT_LENGTH);
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
