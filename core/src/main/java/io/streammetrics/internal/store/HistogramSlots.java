package io.streammetrics.internal.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * What the writer and in-process readers keep per histogram index, on the heap, beside the store: where the
 * histogram's header is, its family's classic bucket table, and the read-epoch marks ({@link MetricStore}).
 *
 * <p>Kept in chunks of {@value #CHUNK} histograms that never move: the outer array is replaced when a chunk is added
 * (at registration), but a write by the aggregator into a chunk can never be lost to a copy of the array made
 * meanwhile. A histogram's entries are written at registration before its handle exists; the aggregator and readers
 * reach them only through that handle's records or the registry's descriptors, published after.
 */
final class HistogramSlots {
    private static final int SHIFT = 10;
    static final int CHUNK = 1 << SHIFT;
    private static final int MASK = CHUNK - 1;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private static final class Chunk {
        final long[] headers = new long[CHUNK];
        final byte[][] classicSlots = new byte[CHUNK][];
        /** The read epoch in which the writer froze each histogram, or 0. */
        final long[] copiedEpochs = new long[CHUNK];
        /** Where in the epoch scratch ({@link EpochScratch}) it froze it, valid with its copied epoch. */
        final long[] scratchAt = new long[CHUNK];
    }

    private volatile Chunk[] chunks = new Chunk[0];

    /** Records histogram {@code index}: its header and its family's classic table (registration, serialized). */
    void register(int index, long headerOffset, byte[] classicSlots) {
        Chunk[] current = chunks;
        int chunk = index >>> SHIFT;
        if (chunk >= current.length) {
            current = Arrays.copyOf(current, chunk + 1);
            for (int i = 0; i < current.length; i++) {
                if (current[i] == null) {
                    current[i] = new Chunk();
                }
            }
        }
        Chunk c = current[chunk];
        c.headers[index & MASK] = headerOffset;
        c.classicSlots[index & MASK] = classicSlots;
        chunks = current;
    }

    private Chunk chunk(int index) {
        return chunks[index >>> SHIFT];
    }

    long header(int index) {
        return chunk(index).headers[index & MASK];
    }

    byte[] classicSlots(int index) {
        return chunk(index).classicSlots[index & MASK];
    }

    long copiedEpoch(int index) {
        return (long) LONGS.getVolatile(chunk(index).copiedEpochs, index & MASK);
    }

    long scratchAt(int index) {
        return chunk(index).scratchAt[index & MASK];
    }

    /** Marks histogram {@code index} frozen in the scratch at {@code at} for {@code epoch} (writer only). */
    void frozen(int index, long epoch, long at) {
        Chunk c = chunk(index);
        c.scratchAt[index & MASK] = at;
        // Release: a reader that sees the epoch mark also sees where, and the frozen copy written before both.
        LONGS.setRelease(c.copiedEpochs, index & MASK, epoch);
    }
}
