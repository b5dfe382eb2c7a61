package io.streammetrics.internal.text;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DoubleFormat} writes what parses back to the same double (bit for bit), never longer than
 * {@code Double.toString}, in its layout.
 */
class DoubleFormatTest {
    private final byte[] buffer = new byte[DoubleFormat.MAX_LENGTH + 8];

    private String format(double value) {
        int length = DoubleFormat.write(value, buffer, 3);
        assertTrue(length - 3 <= DoubleFormat.MAX_LENGTH, "wrote " + (length - 3) + " bytes");
        return new String(buffer, 3, length - 3, StandardCharsets.US_ASCII);
    }

    private void assertRoundTrip(double value) {
        String text = format(value);
        assertEquals(Double.doubleToRawLongBits(value), Double.doubleToRawLongBits(Double.parseDouble(text)),
                () -> Double.toString(value) + " written as " + text);
        assertTrue(text.length() <= Double.toString(value).length(), () -> text + " longer than " + value);
    }

    @Test
    void laysOutLikeDoubleToString() {
        double[] values = {0.005, 0.1, 1, 7, 10, 5.005, 1.2351E-5, 4.85485E7, 1e7, 9_999_999, 0.001, 9.99E-4, 1024,
                -3.5, 123456.789, 1.0E13, 17983, Double.MAX_VALUE, Double.MIN_NORMAL, 0.3, 2.5, 1e-300};
        for (double value : values) {
            assertEquals(Double.toString(value), format(value));
        }
    }

    @Test
    void specialValuesAsTheExpositionFormatsSpellThem() {
        assertEquals("NaN", format(Double.NaN));
        assertEquals("+Inf", format(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", format(Double.NEGATIVE_INFINITY));
        assertEquals("0.0", format(0.0));
        assertEquals("-0.0", format(-0.0));
        assertRoundTrip(Double.MIN_VALUE);
        assertRoundTrip(-Double.MIN_VALUE);
        assertRoundTrip(Math.nextDown(Double.MIN_NORMAL));
        assertRoundTrip(0x1p53);
        assertRoundTrip(0x1p53 + 2);
        assertRoundTrip(Math.nextDown(0x1p53));
        assertRoundTrip(2e23);
        assertRoundTrip(1e23);
        assertRoundTrip(Long.MAX_VALUE);
    }

    @Test
    void everyBitPatternParsesBackToItself() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 300_000; i++) {
            double value = Double.longBitsToDouble(random.nextLong());
            if (Double.isFinite(value)) {
                assertRoundTrip(value);
            }
        }
    }

    @Test
    void decimalsIntegersAndTimerSecondsParseBackToThemselves() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 300_000; i++) {
            assertRoundTrip(random.nextLong(1L << 53) / Math.pow(10, random.nextInt(25)));
            assertRoundTrip(random.nextLong(1L << 62) / 1e9);
            assertRoundTrip(random.nextLong(1L << 53));
            assertRoundTrip(random.nextInt(1_000_000) / 1e9);
        }
        // Powers of ten and the largest 16-digit decimals of every decade, subnormals included.
        for (int exponent = -323; exponent <= 307; exponent++) {
            assertRoundTrip(Double.parseDouble("1e" + exponent));
            assertRoundTrip(Double.parseDouble("9.999999999999999e" + exponent));
        }
    }
}
