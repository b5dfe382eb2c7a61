package io.streammetrics.influx;

import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip (RFC 1952) of a push body with one {@link Deflater} and one {@link CRC32} reused for every push, into a buffer
 * kept between pushes: {@code GZIPOutputStream} would make a new deflater (and its native memory) per push.
 */
final class GzipBody {
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    /** Level 1: a push is compressed on the application's machine, where CPU counts more than a few bytes. */
    private final Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
    private final CRC32 crc = new CRC32();
    private byte[] out = new byte[1 << 14];
    private int length;

    /** Compresses {@code length} bytes of {@code input}; the result is {@link #bytes()} up to {@link #length()}. */
    void compress(byte[] input, int inputLength) {
        deflater.reset();
        crc.reset();
        crc.update(input, 0, inputLength);
        deflater.setInput(input, 0, inputLength);
        deflater.finish();
        System.arraycopy(HEADER, 0, out, 0, HEADER.length);
        length = HEADER.length;
        while (!deflater.finished()) {
            if (length == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            length += deflater.deflate(out, length, out.length - length);
        }
        if (length + 8 > out.length) {
            out = Arrays.copyOf(out, length + 8);
        }
        writeIntLe((int) crc.getValue());
        writeIntLe(inputLength);
    }

    byte[] bytes() {
        return out;
    }

    int length() {
        return length;
    }

    private void writeIntLe(int value) {
        out[length++] = (byte) value;
        out[length++] = (byte) (value >>> 8);
        out[length++] = (byte) (value >>> 16);
        out[length++] = (byte) (value >>> 24);
    }
}
