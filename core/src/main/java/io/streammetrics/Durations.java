package io.streammetrics;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations in settings: checks with messages naming the setting, and the Prometheus spelling ({@code 500ms},
 * {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 3d}, {@code 1w}) that rule files and command lines use.
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)");

    private Durations() {
    }

    /**
     * {@code duration} if it is longer than zero.
     *
     * @throws IllegalArgumentException naming {@code what} otherwise
     */
    public static Duration positive(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + duration);
        }
        return duration;
    }

    /**
     * {@code duration} if it is zero or longer.
     *
     * @throws IllegalArgumentException naming {@code what} otherwise
     */
    public static Duration notNegative(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, got " + duration);
        }
        return duration;
    }

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException naming the bad text
     */
    public static Duration parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty duration (expected e.g. 30s, 5m, 1h30m)");
        }
        Matcher matcher = PART.matcher(text);
        long millis = 0;
        int at = 0;
        while (at < text.length() && matcher.find(at) && matcher.start() == at) {
            long amount = Long.parseLong(matcher.group(1));
            millis += amount * switch (matcher.group(2)) {
                case "ms" -> 1L;
                case "s" -> 1_000L;
                case "m" -> 60_000L;
                case "h" -> 3_600_000L;
                case "d" -> 86_400_000L;
                case "w" -> 604_800_000L;
                default -> 31_536_000_000L;
            };
            at = matcher.end();
        }
        if (at != text.length()) {
            throw new IllegalArgumentException("invalid duration '" + text + "' (expected e.g. 30s, 5m, 1h30m, 3d)");
        }
        return Duration.ofMillis(millis);
    }

    /** The shortest Prometheus spelling of a duration ({@code 1h30m}), for labels and messages. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0s";
        }
        StringBuilder text = new StringBuilder();
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
        String[] names = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < units.length; i++) {
            if (millis >= units[i]) {
                text.append(millis / units[i]).append(names[i]);
                millis %= units[i];
            }
        }
        return text.toString();
    }
}
