package io.streammetrics.internal.store;

import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

import static io.streammetrics.internal.store.StoreLayout.*;

/**
 * The store's memory, one segment at a time: direct memory, or a memory-mapped file that grows by a segment. A store
 * offset resolves to a segment's buffer and a position in it ({@link StoreLayout}). Segments are only ever added,
 * so a buffer once resolved stays valid for the life of the store.
 *
 * <p>Why segments rather than one reservation for the whole capacity: {@code ByteBuffer.allocateDirect} zero-fills
 * (and so makes resident) everything it allocates, and a mapping larger than 2 GiB is not possible; a segment is
 * taken when the first record needs it, so an engine holding a dozen series takes two segments (512 KiB at the
 * default precision), and one holding 10,000 timers takes what their buckets need.
 */
final class StoreSegments implements SegmentView {
    private final int segmentSize;
    private final int shift;
    private final long mask;
    private final StoreFile file;
    /** Every segment so far; replaced (copy-on-write) when one is added, so readers never lock. */
    private volatile AtomicBuffer[] segments = new AtomicBuffer[0];

    /** Segments of {@code segmentSize} bytes (a power of two) in direct memory ({@code file == null}) or in {@code file}. */
    StoreSegments(int segmentSize, StoreFile file) {
        this.segmentSize = segmentSize;
        this.shift = Integer.numberOfTrailingZeros(segmentSize);
        this.mask = segmentSize - 1;
        this.file = file;
    }

    /**
     * Adds a segment and returns its index. Called by registration (under the registry's lock) and by the
     * aggregator (histogram pages), so it is synchronized; the caller publishes the new count in the header.
     */
    synchronized int add() {
        AtomicBuffer[] current = segments;
        int index = current.length;
        AtomicBuffer buffer;
        if (file == null) {
            buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(segmentSize, 64));
        } else {
            long position = (long) index << shift;
            file.grow(position + segmentSize);
            buffer = new UnsafeBuffer(file.map(position, segmentSize));
        }
        AtomicBuffer[] next = Arrays.copyOf(current, index + 1);
        next[index] = buffer;
        segments = next;
        if (index > 0) {
            // The header lives in segment 0: readers in other processes map as many segments as it says.
            AtomicBuffer header = next[0];
            header.putIntOrdered(SEGMENT_COUNT_OFFSET, index + 1);
            header.putLongOrdered(BYTES_TAKEN_OFFSET, (long) (index + 1) * segmentSize);
        }
        return index;
    }

    /** The buffer of the segment holding store offset {@code offset}. */
    AtomicBuffer buffer(long offset) {
        return segments[(int) (offset >>> shift)];
    }

    @Override
    public AtomicBuffer bufferOrNull(long offset) {
        AtomicBuffer[] current = segments;
        long index = offset >>> shift;
        return offset > 0 && index < current.length ? current[(int) index] : null;
    }

    @Override
    public int position(long offset) {
        return (int) (offset & mask);
    }

    /** The store offset of position {@code position} of segment {@code segment}. */
    long offset(int segment, int position) {
        return ((long) segment << shift) + position;
    }

    int segmentSize() {
        return segmentSize;
    }

    /** Segments taken so far. */
    int count() {
        return segments.length;
    }

    /** Bytes taken so far. */
    long bytes() {
        return (long) segments.length * segmentSize;
    }

    /** The file, or null for direct memory. */
    StoreFile file() {
        return file;
    }
}
