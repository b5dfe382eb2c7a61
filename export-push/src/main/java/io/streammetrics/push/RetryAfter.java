package io.streammetrics.push;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The {@code Retry-After} header of a 429 or 503 answer (RFC 9110 section 10.2.3): a number of seconds or an
 * HTTP date. Anything else is ignored (the loop's own back-off applies), as is a negative or absurd value.
 */
final class RetryAfter {
    /** Longer than any sensible answer; bigger numbers are read as this and then capped by the loop. */
    private static final long MAX_SECONDS = 86_400;

    private RetryAfter() {
    }

    /**
     * The wait the header asks for, in nanoseconds, from {@code nowMillis} (epoch millis, for HTTP dates); -1 when
     * there is no usable header.
     */
    static long nanos(Optional<String> header, long nowMillis) {
        if (header.isEmpty()) {
            return -1;
        }
        String value = header.get().trim();
        if (value.isEmpty() || value.length() > 64) {
            return -1;
        }
        if (Character.isDigit(value.charAt(0))) {
            long seconds = 0;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                seconds = Math.min(MAX_SECONDS, seconds * 10 + (c - '0'));
            }
            return seconds * 1_000_000_000L;
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            long millis = Math.max(0, Math.min(MAX_SECONDS * 1000, at.toEpochMilli() - nowMillis));
            return millis * 1_000_000L;
        } catch (DateTimeParseException e) {
            return -1;
        }
    }
}
