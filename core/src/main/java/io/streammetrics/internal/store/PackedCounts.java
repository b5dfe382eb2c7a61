package io.streammetrics.internal.store;

import org.agrona.UnsafeApi;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Bucket counts packed in 1, 2, 4 or 8 bytes each (unsigned below 8): what a histogram's pages hold
 * ({@link CountPages}). A page starts in the narrowest width, and the writer moves it to a wider one before a count
 * would outgrow it, so a count is never truncated: 200 values over three decades take a byte a bucket, a million over
 * the whole 1 ns - 1 h range two, and a bucket needs eight only past four billion values.
 */
final class PackedCounts {
    private static final long LONG_ARRAY_BASE = UnsafeApi.arrayBaseOffset(long[].class);

    private PackedCounts() {
    }

    /** Whether {@code width} is one this layout uses. */
    static boolean isWidth(int width) {
        return width == 1 || width == 2 || width == 4 || width == 8;
    }

    /** The largest count {@code width} bytes hold. */
    static long maxCount(int width) {
        return width == 8 ? Long.MAX_VALUE : (1L << (8 * width)) - 1;
    }

    /** The narrowest width holding {@code count} (non-negative). */
    static int widthFor(long count) {
        return count <= 0xFF ? 1 : count <= 0xFFFF ? 2 : count <= 0xFFFF_FFFFL ? 4 : 8;
    }

    /** The count at position {@code at} of a block of {@code width}-byte counts. */
    static long get(AtomicBuffer buffer, int at, int width) {
        switch (width) {
            case 1:
                return buffer.getByte(at) & 0xFFL;
            case 2:
                return buffer.getShort(at) & 0xFFFFL;
            case 4:
                return buffer.getInt(at) & 0xFFFF_FFFFL;
            default:
                return buffer.getLong(at);
        }
    }

    /** Writes {@code count}, which {@code width} bytes hold, at position {@code at}. */
    static void put(AtomicBuffer buffer, int at, int width, long count) {
        switch (width) {
            case 1:
                buffer.putByte(at, (byte) count);
                break;
            case 2:
                buffer.putShort(at, (short) count);
                break;
            case 4:
                buffer.putInt(at, (int) count);
                break;
            default:
                buffer.putLong(at, count);
                break;
        }
    }

    /**
     * Copies {@code length} counts of {@code width} bytes from position {@code at} of {@code from} into
     * {@code to[offset..offset + length)} as longs. The caller has checked that both ranges lie within their
     * buffer and array: this reads through raw addresses, one pass, no bounds check per count (a scrape copies
     * thousands per histogram).
     */
    static void copyOut(AtomicBuffer from, int at, int width, int length, long[] to, int offset) {
        long address = from.addressOffset() + at;
        byte[] array = from.byteArray();
        switch (width) {
            case 1:
                for (int i = 0; i < length; i++) {
                    to[offset + i] = UnsafeApi.getByte(array, address + i) & 0xFFL;
                }
                break;
            case 2:
                for (int i = 0; i < length; i++) {
                    to[offset + i] = UnsafeApi.getShort(array, address + 2L * i) & 0xFFFFL;
                }
                break;
            case 4:
                for (int i = 0; i < length; i++) {
                    to[offset + i] = UnsafeApi.getInt(array, address + 4L * i) & 0xFFFF_FFFFL;
                }
                break;
            default:
                UnsafeApi.copyMemory(array, address, to, LONG_ARRAY_BASE + 8L * offset, 8L * length);
                break;
        }
    }
}
