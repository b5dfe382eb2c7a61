package io.streammetrics.internal.cell;

import io.streammetrics.common.HistogramLayout;
import io.streammetrics.internal.store.HistogramDelta;

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
 * <p><b>Sized by use.</b> A cell holds a window of buckets, whole blocks from the lowest to the highest bucket its
 * values reached, not the layout's whole range: a latency timer whose values span three decades holds about 1,300
 * buckets of the 4,608 between 1 ns and 1 h. A value outside the window grows it (the owner copies its counts into
 * larger arrays and publishes them; the aggregator follows). Counts are {@code int}s; a bucket about to pass
 * {@code Integer.MAX_VALUE} widens the whole window to {@code long}s (the next record after 2^31 in one bucket), so a
 * count never wraps however long the aggregator goes without a sweep.
 *
 * <p><b>Ordering.</b> The sum, lowest and highest value are written before the release stores that publish a
 * record's bucket, so a sweep that takes a bucket also takes that record's part in them: the store never counts a
 * value without its minimum and maximum. A sweep may also see the sum, lowest and highest value of a record whose
 * bucket it has not seen yet: the store's sum may then run ahead of its count by the values recorded during the
 * sweep, never behind, and the store keeps its lowest and highest value within its non-empty buckets
 * ({@link io.streammetrics.internal.store.MetricStore#histogramAdd}); both are exact again at the next sweep. Every record made
 * before the record count that a sweep reads is applied in full by that sweep.
 */
final class HistogramCell {
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle RECORDS;
    private static final VarHandle SUM;
    private static final VarHandle MIN;
    private static final VarHandle MAX;
    private static final VarHandle WINDOW;
    private static final int BLOCK_SHIFT = 6;
    static final int BLOCK_SIZE = 1 << BLOCK_SHIFT;
    /** Heap bytes of a cell besides its windows: the object, its window holder and array headers. */
    private static final long FIXED_BYTES = 256;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            RECORDS = lookup.findVarHandle(HistogramCell.class, "records", long.class);
            SUM = lookup.findVarHandle(HistogramCell.class, "sum", long.class);
            MIN = lookup.findVarHandle(HistogramCell.class, "min", long.class);
            MAX = lookup.findVarHandle(HistogramCell.class, "max", long.class);
            WINDOW = lookup.findVarHandle(HistogramCell.class, "window", Window.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The owner's arrays as the aggregator reads them: replaced whole (never resized in place) when the window grows
     * or widens, and published with a release store after the old counts were copied in, so the aggregator sees
     * either the old arrays (frozen at counts it has or will have seen) or the new ones.
     */
    private static final class Window {
        final int base;
        final int[] counts;
        final long[] wideCounts;
        final long[] blockTotals;

        Window(int base, int[] counts, long[] wideCounts, long[] blockTotals) {
            this.base = base;
            this.counts = counts;
            this.wideCounts = wideCounts;
            this.blockTotals = blockTotals;
        }

        int length() {
            return counts != null ? counts.length : wideCounts.length;
        }
    }

    final int seriesId;
    final int histogramIndex;
    private final HistogramLayout layout;
    private final CellBudget budget;
    // Written by the owning thread only; its fast path reads these plain fields, the aggregator reads `window`.
    /** First bucket index of the window, a multiple of {@link #BLOCK_SIZE}. */
    private int base;
    /** The window's counts while every one fits an int; null before the first record and once widened. */
    private int[] counts;
    /** The window's counts once one reached {@code Integer.MAX_VALUE}, else null. */
    private long[] wideCounts;
    private long[] blockTotals;
    private long sum;
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;
    @SuppressWarnings("unused")
    private long records;
    /** Budget bytes taken for the current window (owner side and the aggregator's copy). */
    private long charged;
    /** Set once the budget refused to grow the window: values outside it then take the ring without asking again. */
    private boolean refused;
    @SuppressWarnings("unused")
    private Window window;
    // The aggregator's own: what it has applied, over its own window, which follows the owner's.
    private int appliedBase;
    private int[] appliedCounts;
    private long[] appliedWideCounts;
    private long[] appliedBlocks;
    private long appliedRecords;
    private long appliedSum;

    /** A cell with no window yet: its first record takes one from {@code budget} (null: no budget). */
    HistogramCell(int seriesId, int histogramIndex, HistogramLayout layout, CellBudget budget) {
        this.seriesId = seriesId;
        this.histogramIndex = histogramIndex;
        this.layout = layout;
        this.budget = budget;
    }

    /** A cell outside any budget (tests). */
    HistogramCell(int seriesId, int histogramIndex, HistogramLayout layout) {
        this(seriesId, histogramIndex, layout, null);
    }

    /**
     * Heap bytes of a cell whose window holds {@code buckets} buckets ({@code wide}: as {@code long}s): the owner's
     * counts and block totals and the aggregator's copy of both.
     */
    static long bytesFor(int buckets, boolean wide) {
        long perBucket = wide ? 16 : 8;
        long blocks = (buckets + BLOCK_SIZE - 1) >>> BLOCK_SHIFT;
        return FIXED_BYTES + perBucket * buckets + 16 * blocks;
    }

    /** Heap bytes this cell holds now (owner only, or once the owner has ended). */
    long bytes() {
        return charged;
    }

    /**
     * Records one value, already within the layout's range (owning thread only).
     *
     * @return false if the window had to grow and the budget refused: the caller then records the value elsewhere
     */
    boolean record(long value) {
        final int index = layout.indexOf(value);
        final int i = index - base;
        final int[] c = counts;
        if (c == null || i < 0 || i >= c.length) {
            return recordSlow(value, index);
        }
        final int count = c[i] + 1;
        if (count < 0) {
            return recordSlow(value, index);
        }
        // The values first: a sweep that sees this record's bucket (acquire) also sees its sum, minimum and maximum.
        sum += value;
        if (value < min) {
            min = value;
        }
        if (value > max) {
            max = value;
        }
        // Then the bucket, and its block after it: a sweep that sees a block's new total also sees the bucket
        // increment behind it, so it may leave the block alone until its total moves again.
        INTS.setRelease(c, i, count);
        final long[] blocks = blockTotals;
        LONGS.setRelease(blocks, i >>> BLOCK_SHIFT, blocks[i >>> BLOCK_SHIFT] + 1);
        RECORDS.setRelease(this, records + 1);
        return true;
    }

    /** Records into a widened window, or grows or widens the window first. */
    private boolean recordSlow(long value, int index) {
        int i = index - base;
        if (counts == null && wideCounts == null || i < 0 || i >= windowLength()) {
            if (!grow(index)) {
                return false;
            }
            i = index - base;
        }
        if (counts != null && counts[i] == Integer.MAX_VALUE && !widen()) {
            return false;
        }
        sum += value;
        if (value < min) {
            min = value;
        }
        if (value > max) {
            max = value;
        }
        if (counts != null) {
            INTS.setRelease(counts, i, counts[i] + 1);
        } else {
            LONGS.setRelease(wideCounts, i, wideCounts[i] + 1);
        }
        LONGS.setRelease(blockTotals, i >>> BLOCK_SHIFT, blockTotals[i >>> BLOCK_SHIFT] + 1);
        RECORDS.setRelease(this, records + 1);
        return true;
    }

    private int windowLength() {
        return counts != null ? counts.length : wideCounts != null ? wideCounts.length : 0;
    }

    /**
     * Grows the window to take bucket {@code index}: whole blocks from the lowest to the highest bucket reached, and
     * one block more on the side that grew, so that a distribution whose tail is still filling in does not copy
     * the window on every new block.
     */
    private boolean grow(int index) {
        int length = windowLength();
        int lastBlock = (layout.countsLength() - 1) >>> BLOCK_SHIFT;
        int indexBlock = index >>> BLOCK_SHIFT;
        int from;
        int to;
        if (length == 0) {
            from = indexBlock;
            to = indexBlock;
        } else {
            from = base >>> BLOCK_SHIFT;
            to = from + (length >>> BLOCK_SHIFT) - 1;
            if (indexBlock < from) {
                from = Math.max(0, indexBlock - 1);
            } else {
                to = Math.min(lastBlock, indexBlock + 1);
            }
        }
        int newBase = from << BLOCK_SHIFT;
        int newLength = (to - from + 1) << BLOCK_SHIFT;
        boolean wide = wideCounts != null;
        if (!charge(bytesFor(newLength, wide))) {
            return false;
        }
        int shift = base - newBase;
        long[] newBlocks = new long[newLength >>> BLOCK_SHIFT];
        if (length > 0) {
            System.arraycopy(blockTotals, 0, newBlocks, shift >>> BLOCK_SHIFT, blockTotals.length);
        }
        if (wide) {
            long[] grown = new long[newLength];
            System.arraycopy(wideCounts, 0, grown, shift, length);
            wideCounts = grown;
        } else {
            int[] grown = new int[newLength];
            if (length > 0) {
                System.arraycopy(counts, 0, grown, shift, length);
            }
            counts = grown;
        }
        base = newBase;
        blockTotals = newBlocks;
        WINDOW.setRelease(this, new Window(newBase, counts, wideCounts, newBlocks));
        return true;
    }

    /** Turns the window's counts into longs: one of them is at {@code Integer.MAX_VALUE}. */
    private boolean widen() {
        if (!charge(bytesFor(counts.length, true))) {
            return false;
        }
        long[] wide = new long[counts.length];
        for (int i = 0; i < wide.length; i++) {
            wide[i] = counts[i];
        }
        wideCounts = wide;
        counts = null;
        WINDOW.setRelease(this, new Window(base, null, wide, blockTotals));
        return true;
    }

    /** Moves the budget charge to {@code bytes}. */
    private boolean charge(long bytes) {
        long more = bytes - charged;
        if (budget != null && more > 0 && (refused || !budget.take(more))) {
            refused = true;
            return false;
        }
        charged = bytes;
        return true;
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
        Window w = (Window) WINDOW.getAcquire(this);
        if (w != null) {
            follow(w);
            int offset = w.base - appliedBase;
            int blockOffset = offset >>> BLOCK_SHIFT;
            long[] blocks = w.blockTotals;
            for (int block = 0; block < blocks.length; block++) {
                long total = (long) LONGS.getAcquire(blocks, block);
                if (total == appliedBlocks[block + blockOffset]) {
                    continue;
                }
                appliedBlocks[block + blockOffset] = total;
                int end = (block + 1) << BLOCK_SHIFT;
                for (int i = block << BLOCK_SHIFT; i < end; i++) {
                    takeBucket(w, i, offset, delta);
                }
            }
        }
        // Read after the buckets: it covers every value counted above, and perhaps a few recorded meanwhile.
        sumNow = (long) SUM.getOpaque(this);
        delta.values(sumNow - appliedSum, (long) MIN.getOpaque(this), (long) MAX.getOpaque(this));
        appliedSum = sumNow;
        return !delta.isEmpty();
    }

    private void takeBucket(Window w, int i, int offset, HistogramDelta delta) {
        if (w.counts != null) {
            int count = (int) INTS.getAcquire(w.counts, i);
            int added = count - appliedCounts[i + offset];
            if (added != 0) {
                appliedCounts[i + offset] = count;
                delta.addBucket(w.base + i, added);
            }
        } else {
            long count = (long) LONGS.getAcquire(w.wideCounts, i);
            long added = count - appliedWideCounts[i + offset];
            if (added != 0) {
                appliedWideCounts[i + offset] = count;
                delta.addBucket(w.base + i, added);
            }
        }
    }

    /** Grows or widens the aggregator's copy to cover the owner's window {@code w}. */
    private void follow(Window w) {
        int length = appliedBlocks == null ? 0 : appliedBlocks.length << BLOCK_SHIFT;
        int from = length == 0 ? w.base : Math.min(appliedBase, w.base);
        int to = length == 0 ? w.base + w.length() : Math.max(appliedBase + length, w.base + w.length());
        if (from != appliedBase || to - from != length) {
            int shift = appliedBase - from;
            long[] blocks = new long[(to - from) >>> BLOCK_SHIFT];
            if (length > 0) {
                System.arraycopy(appliedBlocks, 0, blocks, shift >>> BLOCK_SHIFT, appliedBlocks.length);
            }
            appliedBlocks = blocks;
            if (appliedWideCounts != null) {
                long[] grown = new long[to - from];
                System.arraycopy(appliedWideCounts, 0, grown, shift, length);
                appliedWideCounts = grown;
            } else {
                int[] grown = new int[to - from];
                if (length > 0) {
                    System.arraycopy(appliedCounts, 0, grown, shift, length);
                }
                appliedCounts = grown;
            }
            appliedBase = from;
        }
        if (w.wideCounts != null && appliedWideCounts == null) {
            long[] wide = new long[appliedCounts.length];
            for (int i = 0; i < wide.length; i++) {
                wide[i] = appliedCounts[i];
            }
            appliedWideCounts = wide;
            appliedCounts = null;
        }
    }
}
