package io.streammetrics.influx;

import io.streammetrics.internal.text.DoubleFormat;

import java.util.Arrays;

/**
 * The growable byte buffer a push's line protocol is written into, reused from push to push (it keeps the largest
 * size it reached): raw bytes, decimal integers and shortest round-trip doubles without allocating.
 */
final class LineBuffer {
    private byte[] bytes = new byte[1 << 16];
    private int length;

    void clear() {
        length = 0;
    }

    byte[] bytes() {
        return bytes;
    }

    int length() {
        return length;
    }

    void put(byte b) {
        ensure(1);
        bytes[length++] = b;
    }

    void put(byte[] source) {
        ensure(source.length);
        System.arraycopy(source, 0, bytes, length, source.length);
        length += source.length;
    }

    /** A finite double, shortest round-trip (line protocol reads {@code 1.0E-5} as Go's ParseFloat does). */
    void putDouble(double value) {
        ensure(DoubleFormat.MAX_LENGTH);
        length = DoubleFormat.write(value, bytes, length);
    }

    /** A decimal integer (may be negative). */
    void putLong(long value) {
        ensure(20);
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                put("-9223372036854775808".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                return;
            }
            bytes[length++] = '-';
            value = -value;
        }
        int digits = DoubleFormat.decimalLength(value);
        int at = length + digits;
        do {
            bytes[--at] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value > 0);
        length += digits;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
