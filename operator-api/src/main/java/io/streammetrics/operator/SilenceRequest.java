package io.streammetrics.operator;

import io.streammetrics.alert.Silence;
import io.streammetrics.alert.expr.LabelMatcher;
import io.streammetrics.common.Durations;
import io.streammetrics.json.JsonReader;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses the body of {@code POST /api/silences}: matchers as Alertmanager API v2 writes them, and either a duration
 * from now or an end time.
 *
 * <pre>{@code
 * {"matchers":[{"name":"alertname","value":"HighLatency","isRegex":false,"isEqual":true}],
 *  "duration":"30m",                         // or "endsAt":"2026-01-02T03:04:05Z"
 *  "createdBy":"alice","comment":"deploying the fix"}
 * }</pre>
 */
final class SilenceRequest {
    private SilenceRequest() {
    }

    /**
     * The silence the body describes.
     *
     * @throws ApiError 400 naming what is missing or malformed
     */
    static Silence parse(String body, long nowMillis) {
        Map<?, ?> json;
        try {
            json = JsonReader.parse(body) instanceof Map<?, ?> map ? map : null;
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, e.getMessage());
        }
        if (json == null) {
            throw new ApiError(400, "a silence is a JSON object");
        }
        List<LabelMatcher> matchers = new ArrayList<>();
        if (!(json.get("matchers") instanceof List<?> list) || list.isEmpty()) {
            throw new ApiError(400, "a silence needs a non-empty 'matchers' list");
        }
        if (list.size() > Silence.MAX_MATCHERS) {
            throw new ApiError(400, "a silence has at most " + Silence.MAX_MATCHERS + " matchers, got " + list.size());
        }
        for (Object item : list) {
            matchers.add(matcher(item));
        }
        long endsAt = endsAt(json, nowMillis);
        if (endsAt <= nowMillis) {
            throw new ApiError(400, "the silence would end before it starts");
        }
        try {
            return Silence.of(matchers, endsAt, string(json, "createdBy", "api"), string(json, "comment", ""));
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, e.getMessage());
        }
    }

    private static LabelMatcher matcher(Object item) {
        if (!(item instanceof Map<?, ?> map) || !(map.get("name") instanceof String name)
                || !(map.get("value") instanceof String value)) {
            throw new ApiError(400, "a matcher needs string 'name' and 'value', got " + item);
        }
        boolean regex = Boolean.TRUE.equals(map.get("isRegex"));
        boolean equal = !Boolean.FALSE.equals(map.get("isEqual"));
        LabelMatcher.Op op = regex ? (equal ? LabelMatcher.Op.REGEX : LabelMatcher.Op.NOT_REGEX)
                : (equal ? LabelMatcher.Op.EQUAL : LabelMatcher.Op.NOT_EQUAL);
        try {
            return new LabelMatcher(name, op, value);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, e.getMessage());
        }
    }

    private static long endsAt(Map<?, ?> json, long nowMillis) {
        Object duration = json.get("duration");
        Object endsAt = json.get("endsAt");
        if ((duration == null) == (endsAt == null)) {
            throw new ApiError(400, "a silence needs exactly one of 'duration' (\"30m\") and 'endsAt' (RFC 3339)");
        }
        try {
            if (duration != null) {
                return Math.addExact(nowMillis, Durations.parse(String.valueOf(duration)).toMillis());
            }
            return Instant.parse(String.valueOf(endsAt)).toEpochMilli();
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new ApiError(400, "invalid " + (duration != null ? "duration" : "endsAt") + ": " + e.getMessage());
        } catch (ArithmeticException e) {
            // Instant holds years to 1e9, epoch milliseconds about 292 million: a time between the two is no error
            // of ours to answer 500 for.
            throw new ApiError(400, "invalid " + (duration != null ? "duration" : "endsAt") + ": " + (duration != null
                    ? duration : endsAt) + " is beyond what epoch milliseconds hold");
        }
    }

    private static String string(Map<?, ?> json, String key, String fallback) {
        Object value = json.get(key);
        if (value != null && !(value instanceof String)) {
            throw new ApiError(400, "'" + key + "' must be a string");
        }
        return value == null ? fallback : (String) value;
    }
}
