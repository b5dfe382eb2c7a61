package io.streammetrics.exemplar;

/**
 * Conversions between W3C trace context ids as hex text (32 digits for a trace id, 16 for a span id) and the longs
 * the record path carries. Parsing reads a {@link CharSequence} in place and allocates nothing, so that the automatic
 * form can take an OpenTelemetry span context's ids on the record path.
 */
public final class TraceIds {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private TraceIds() {
    }

    /**
     * The long of 16 hex digits from {@code text[from]} on, or 0 if any of them is not a hex digit (0 is the W3C
     * "invalid" id, which no exporter writes).
     */
    public static long parseHex16(CharSequence text, int from) {
        long value = 0;
        for (int i = from, end = from + 16; i < end; i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0) {
                return 0;
            }
            value = (value << 4) | digit;
        }
        return value;
    }

    /** 32 lowercase hex digits: {@code high} then {@code low}. */
    public static String hex(long high, long low) {
        char[] out = new char[32];
        put(out, 0, high);
        put(out, 16, low);
        return new String(out);
    }

    /** 16 lowercase hex digits. */
    public static String hex(long id) {
        char[] out = new char[16];
        put(out, 0, id);
        return new String(out);
    }

    private static void put(char[] out, int at, long value) {
        for (int i = 15; i >= 0; i--) {
            out[at + i] = DIGITS[(int) (value & 0xF)];
            value >>>= 4;
        }
    }

    /** The 8 bytes of {@code value}, big-endian, into {@code out[at..at+7]}. */
    public static void putBytes(byte[] out, int at, long value) {
        for (int i = 7; i >= 0; i--) {
            out[at + i] = (byte) value;
            value >>>= 8;
        }
    }
}
