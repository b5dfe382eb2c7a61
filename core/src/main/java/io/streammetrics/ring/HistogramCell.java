package io.streammetrics.ring;

import io.streammetrics.store.HistogramDelta;
import io.streammetrics.store.HistogramLayout;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One recording thread's counts for one histogram, in the store's bucket layout, and what the aggregator has already
 * taken from them.
 *
 * <p>The owning thread only ever adds: a record is a bucket increment, a block increment, the sum, a comparison with
 * the lowest and highest value, and a release store of the record count, all in memory that stays in its core's
 * cache. The aggregator, the store's only writer, compares the running counts with its own copy of what it applied
 * and hands the differences to the store. Blocks of {@value #BLOCK_SIZE} buckets keep that comparison short: the
 * aggregator reads a block's buckets only when the block's total moved.
 *
 * <p>The aggregator reads while the owner writes, without a lock on either side, so a sweep sees each record whole
 * or not at all in the buckets (the store's count always equals the sum of its buckets) but may see the sum, lowest
 * and highest value of a few records whose bucket increments it has not seen yet: the store's sum may then run ahead
 * of its count by the values recorded during the sweep, never behind, and is exact again at the next sweep after the
 * thread pauses. The store keeps its lowest and highest value within its lowest and highest non-empty buckets
 * ({@link io.streammetrics.store.MetricStore#histogramAdd}). Every record made before the record count that a sweep
 * reads is applied in full by that sweep.
 */
final class HistogramCell {
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final long UNSIGNED_INT = 0xFFFF_FFFFL;
    private static final VarHandle RECORDS;
    private static final VarHandle SUM;
    private static final VarHandle MIN;
    private static final VarHandle MAX;
    private static final int BLOCK_SHIFT = 6;
    static final int BLOCK_SIZE = 1 << BLOCK_SHIFT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            RECORDS = lookup.findVarHandle(HistogramCell.class, "records", long.class);
            SUM = lookup.findVarHandle(HistogramCell.class, "sum", long.class);
            MIN = lookup.findVarHandle(HistogramCell.class, "min", long.class);
            MAX = lookup.findVarHandle(HistogramCell.class, "max", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final int seriesId;
    final int histogramIndex;
    private final HistogramLayout layout;
    // Written by the owning thread only.
    /**
     * Bucket counts modulo 2^32: the aggregator takes differences, exact as long as no bucket of a cell gains 2^32
     * records between two sweeps (sweeps are at most 10 ms apart while the aggregator runs; one thread recording
     * one value at full speed would need about 40 s). Ints halve the cell and the cache lines a record touches.
     */
    private final int[] counts;
    private final long[] blockTotals;
    private long sum;
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;
    @SuppressWarnings("unused")
    private long records;
    // The aggregator's own.
    private final int[] appliedCounts;
    private final long[] appliedBlocks;
    private long appliedRecords;
    private long appliedSum;

    HistogramCell(int seriesId, int histogramIndex, HistogramLayout layout) {
        this.seriesId = seriesId;
        this.histogramIndex = histogramIndex;
        this.layout = layout;
        int length = layout.countsLength();
        int blocks = (length + BLOCK_SIZE - 1) >>> BLOCK_SHIFT;
        this.counts = new int[length];
        this.appliedCounts = new int[length];
        this.blockTotals = new long[blocks];
        this.appliedBlocks = new long[blocks];
    }

    /** Heap bytes of a cell for this layout (the four arrays), to charge against the engine's cell budget. */
    static long bytesFor(HistogramLayout layout) {
        long length = layout.countsLength();
        long blocks = (length + BLOCK_SIZE - 1) >>> BLOCK_SHIFT;
        return 8 * length + 16 * blocks + 4 * 16 + 64;
    }

    /** Records one value, already within the layout's range (owning thread only). */
    void record(long value) {
        final int index = layout.indexOf(value);
        // The sum first, then releases: a sweep that sees a bucket's or block's new count also sees the sum that
        // went with it, so the store's sum never lags behind its count. And a sweep that sees a block's new total
        // also sees the bucket increment behind it, so it may leave the block alone until its total moves again.
        sum += value;
        INTS.setRelease(counts, index, counts[index] + 1);
        final int block = index >>> BLOCK_SHIFT;
        LONGS.setRelease(blockTotals, block, blockTotals[block] + 1);
        if (value < min) {
            min = value;
        }
        if (value > max) {
            max = value;
        }
        RECORDS.setRelease(this, records + 1);
    }

    /**
     * Fills {@code delta} with what was recorded since the last sweep (aggregator only).
     *
     * @return false if nothing changed
     */
    boolean sweep(HistogramDelta delta) {
        long recorded = (long) RECORDS.getAcquire(this);
        long sumNow = (long) SUM.getOpaque(this);
        if (recorded == appliedRecords && sumNow == appliedSum) {
            return false;
        }
        appliedRecords = recorded;
        delta.reset(histogramIndex);
        final int[] counts = this.counts;
        final long[] blockTotals = this.blockTotals;
        for (int block = 0; block < blockTotals.length; block++) {
            long total = (long) LONGS.getAcquire(blockTotals, block);
            if (total == appliedBlocks[block]) {
                continue;
            }
            appliedBlocks[block] = total;
            int end = Math.min(counts.length, (block + 1) << BLOCK_SHIFT);
            for (int i = block << BLOCK_SHIFT; i < end; i++) {
                int count = (int) INTS.getAcquire(counts, i);
                long added = (count - appliedCounts[i]) & UNSIGNED_INT;
                if (added != 0) {
                    appliedCounts[i] = count;
                    delta.addBucket(i, added);
                }
            }
        }
        // Read after the buckets: it covers every value counted above, and perhaps a few recorded meanwhile.
        sumNow = (long) SUM.getOpaque(this);
        delta.values(sumNow - appliedSum, (long) MIN.getOpaque(this), (long) MAX.getOpaque(this));
        appliedSum = sumNow;
        return !delta.isEmpty();
    }
}
