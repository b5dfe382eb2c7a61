package io.streammetrics.internal.store;

import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.AtomicBuffer;

import java.util.Arrays;

/**
 * Hands out records from the store's segments to one writer: registration (metadata, never freed) or the aggregator
 * (histogram pages and page tables, which move when a page widens or a table grows, so freed records are kept by
 * size and handed out again: pages come in four sizes, tables in a few, so what one histogram gives up another takes). Records are 8-byte aligned ({@value #ALIGNMENT} for the sizes that are multiples of it) and
 * zeroed when handed out. Not thread-safe: each writer has its own arena.
 */
final class StoreArena {
    /** Alignment of records that are a multiple of it: pages, page tables and series chunks start on a cache line. */
    private static final int ALIGNMENT = 64;

    private final StoreSegments segments;
    private final int segmentSize;
    private int segment = -1;
    private int position;
    /** Freed records by size in units of 64 bytes; null until a record of that size is freed. */
    private LongArrayList[] free = new LongArrayList[0];
    private long freeBytes;

    /**
     * @param segments where the records live
     * @param firstSegment a segment to start in ({@code start} bytes of it already used), or -1 to start in a new one
     */
    StoreArena(StoreSegments segments, int firstSegment, int start) {
        this.segments = segments;
        this.segmentSize = segments.segmentSize();
        this.position = segmentSize;
        if (firstSegment >= 0) {
            this.segment = firstSegment;
            this.position = start;
        }
    }

    /** A zeroed record of {@code bytes} (at most a segment), as a store offset. */
    long allocate(int bytes) {
        if (bytes <= 0 || bytes > segmentSize) {
            throw new IllegalArgumentException("record of " + bytes + " bytes");
        }
        long offset = reuse(bytes);
        if (offset == 0) {
            int alignment = bytes % ALIGNMENT == 0 ? ALIGNMENT : 8;
            int at = StoreLayout.align(position, alignment);
            if (at + bytes > segmentSize) {
                segment = segments.add();
                at = 0;
            }
            position = at + bytes;
            offset = segments.offset(segment, at);
        }
        AtomicBuffer buffer = segments.buffer(offset);
        buffer.setMemory(segments.position(offset), bytes, (byte) 0);
        return offset;
    }

    private long reuse(int bytes) {
        if (bytes % ALIGNMENT != 0) {
            return 0;
        }
        int size = bytes / ALIGNMENT;
        if (size >= free.length || free[size] == null || free[size].isEmpty()) {
            return 0;
        }
        freeBytes -= bytes;
        return free[size].popLong();
    }

    /**
     * Takes back a record of {@code bytes} (a multiple of 64) for a later {@link #allocate} of the same size. The
     * caller guarantees no reader it is responsible for still needs it: a reader that does read it meanwhile is one
     * whose seqlock version check fails.
     */
    void free(long offset, int bytes) {
        int size = bytes / ALIGNMENT;
        if (size >= free.length) {
            free = Arrays.copyOf(free, size + 1);
        }
        if (free[size] == null) {
            free[size] = new LongArrayList();
        }
        free[size].addLong(offset);
        freeBytes += bytes;
    }

    /** Bytes freed and not handed out again. */
    long freeBytes() {
        return freeBytes;
    }
}
