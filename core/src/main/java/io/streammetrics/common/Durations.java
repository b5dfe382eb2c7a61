package io.streammetrics.common;

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

    /**
     * The longest duration {@link #parse} accepts: {@code Long.MAX_VALUE} nanoseconds in whole milliseconds (about
     * 292 years, the range of Prometheus' own Go durations), so that {@link Duration#toNanos()} and a deadline of
     * now plus the duration never overflow.
     */
    public static final Duration MAX = Duration.ofMillis(Long.MAX_VALUE / 1_000_000L);
    private static final long MAX_MILLIS = MAX.toMillis();

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
     * Parses a duration: one or more parts of a whole number and a unit ({@code ms}, {@code s}, {@code m}, {@code h},
     * {@code d}, {@code w}, {@code y} = 365 days). The sum is checked: a duration longer than {@link #MAX}
     * ({@code Long.MAX_VALUE} nanoseconds, about 292 years, the range of Prometheus' own Go durations) is an error, never a value
     * that wrapped around. Rule files, silences and command lines all parse with this method.
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
            long unit = switch (matcher.group(2)) {
                case "ms" -> 1L;
                case "s" -> 1_000L;
                case "m" -> 60_000L;
                case "h" -> 3_600_000L;
                case "d" -> 86_400_000L;
                case "w" -> 604_800_000L;
                default -> 31_536_000_000L;
            };
            String digits = matcher.group(1);
            // more than 18 digits cannot fit in MAX_MILLIS with any unit; this also keeps parseLong from throwing
            if (digits.length() > 18 || Long.parseLong(digits) > (MAX_MILLIS - millis) / unit) {
                throw new IllegalArgumentException("duration '" + text + "' is too long (at most " + format(MAX)
                        + ", about 292 years)");
            }
            millis += Long.parseLong(digits) * unit;
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
        if (millis < 0) {
            // a bad setting named in a message: -5s, not an empty string
            text.append('-');
            millis = millis == Long.MIN_VALUE ? Long.MAX_VALUE : -millis;
        }
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
