package io.streammetrics.common;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one duration parser of rule files, silences and command lines: exact arithmetic, never a wrapped value. */
class DurationsTest {

    @Test
    void partsAddUp() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
        assertEquals(Duration.ofDays(3 + 7 + 365), Durations.parse("1y1w3d"));
        assertEquals(Duration.ofDays(292 * 365L), Durations.parse("292y"));
        assertEquals(Durations.MAX, Durations.parse(Durations.MAX.toMillis() + "ms"));
        assertTrue(Durations.MAX.toNanos() > 0, "MAX in nanoseconds does not overflow");
    }

    /** Issue 15 item 8: {@code 18446744073709552s} wrapped to 384 ms. */
    @Test
    void aDurationTooLongIsAnErrorNotAWrappedValue() {
        for (String text : new String[]{"18446744073709552s", "293y", "200y200y", "99999999999999999999s",
                (Durations.MAX.toMillis() + 1) + "ms", "9223372036854775807ms1ms"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text),
                    text);
            assertTrue(e.getMessage().contains("'" + text + "' is too long"), e.getMessage());
            assertTrue(e.getMessage().contains("292 years"), e.getMessage());
        }
    }

    @Test
    void malformedTextIsNamed() {
        for (String text : new String[]{"5 minutes", "1.5s", "-1s", "s", "10"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
            assertTrue(e.getMessage().contains("invalid duration '" + text + "'"), e.getMessage());
        }
    }

    @Test
    void formatIsTheShortestSpelling() {
        assertEquals("30s", Durations.format(Duration.ofSeconds(30)));
        assertEquals("1h30m", Durations.format(Duration.ofMinutes(90)));
        assertEquals("500ms", Durations.format(Duration.ofMillis(500)));
        assertEquals("-5s", Durations.format(Duration.ofSeconds(-5)), "a bad setting in a message");
    }
}
