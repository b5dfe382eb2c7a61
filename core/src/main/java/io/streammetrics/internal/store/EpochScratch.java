package io.streammetrics.internal.store;

import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * Where the writer freezes a histogram before its first update in an open read epoch ({@link MetricStore}): only the
 * histograms written while a read is under way, each as its header and its occupied counts, not a second copy of the
 * store. Chunks as large as the store's segments are reused from one epoch to the next; chunks beyond what the last two
 * epochs needed are dropped, so a read that overlapped a burst of updates does not keep its memory.
 *
 * <p>A frozen histogram has the header layout of {@link StoreLayout} with its counts right after the header: window
 * base = lowest bucket, window length = highest - lowest + 1, in the histogram's count width. The writer fills it
 * with plain stores and then publishes its position with a release store ({@link HistogramSlots#frozen}); it never
 * writes it again in that epoch. Only the writer adds chunks; readers find them through a volatile array.
 */
final class EpochScratch {
    private final int chunkSize;

    private volatile AtomicBuffer[] chunks = new AtomicBuffer[0];
    private long epoch;
    private int chunk;
    private int position;
    private int usedChunks;
    private int previousUsedChunks;

    /** Chunks of {@code chunkSize} bytes, enough for the largest histogram (the store's segment size). */
    EpochScratch(int chunkSize) {
        this.chunkSize = chunkSize;
    }

    /**
     * Room for {@code bytes} (at most a chunk) in epoch {@code epoch}: the scratch starts over when the epoch changes
     * (reads are serialized, so the previous epoch's reader has finished). Returns the location, chunk index in the
     * high int and position in the low int.
     */
    long allocate(long epoch, int bytes) {
        if (epoch != this.epoch) {
            trim();
            this.epoch = epoch;
            chunk = 0;
            position = 0;
            usedChunks = 0;
        }
        AtomicBuffer[] current = chunks;
        if (usedChunks == 0 || position + bytes > chunkSize) {
            if (usedChunks > 0) {
                chunk++;
            }
            position = 0;
            if (chunk >= current.length) {
                current = Arrays.copyOf(current, chunk + 1);
                current[chunk] = new UnsafeBuffer(BufferUtil.allocateDirectAligned(chunkSize, 64));
                chunks = current;
            }
            usedChunks = chunk + 1;
        }
        long at = ((long) chunk << 32) | position;
        position = StoreLayout.align(position + bytes, 8);
        return at;
    }

    /** Drops the chunks that neither the epoch ending now nor the one before it needed. */
    private void trim() {
        int keep = Math.max(1, Math.max(usedChunks, previousUsedChunks));
        previousUsedChunks = usedChunks;
        AtomicBuffer[] current = chunks;
        if (current.length > keep) {
            chunks = Arrays.copyOf(current, keep);
        }
    }

    /** The chunk of a location from {@link #allocate}. */
    AtomicBuffer buffer(long at) {
        return chunks[(int) (at >>> 32)];
    }

    /** The position of a location from {@link #allocate} in its chunk. */
    static int position(long at) {
        return (int) at;
    }

    /** Bytes of scratch held now. */
    long bytes() {
        return (long) chunks.length * chunkSize;
    }
}
