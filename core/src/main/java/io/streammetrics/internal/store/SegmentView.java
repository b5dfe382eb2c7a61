package io.streammetrics.internal.store;

import org.agrona.concurrent.AtomicBuffer;

/** Store offsets to buffers: the writer's segments, or a reader's mapping of them ({@link StoreLayout}). */
interface SegmentView {
    /**
     * The buffer of the segment holding store offset {@code offset}, or null if there is no such segment (an offset
     * read in the middle of an update, or from a damaged file).
     */
    AtomicBuffer bufferOrNull(long offset);

    /** The position of store offset {@code offset} in its segment's buffer. */
    int position(long offset);
}
