package io.streammetrics.internal.cell;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One recording thread's counter totals: a cell per series that only that thread writes, which the aggregator
 * reads and turns into store updates.
 *
 * <p>Why counters skip the ring: a ring event moves 16 bytes from the recording core to the aggregator's core for
 * every increment, so a counter in a tight loop costs what the aggregator can apply (measured: 12-15 ns a record,
 * against 7 ns for client_java's {@code LongAdder} counter), and a 2-core machine drops most of a tight loop's
 * events. In cells: 3.5 ns, no drops ({@code benchmarks/RESULTS.md}). A thread-owned cell costs a load and a store in memory that stays in the recording core's cache. The
 * aggregator remains the only writer of the store: it reads each cell's running total and adds the difference to
 * the counter's store slot, so counters stay exact and never go backwards.
 *
 * <p>Cells only grow (negative amounts go through the ring, where the aggregator rejects and counts them), so a cell
 * still at zero has never been touched: its first increment also appends the series to {@link #touched}, the list
 * the aggregator sweeps.
 */
public final class CounterCells {
    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle TOUCHED_COUNT;
    private static final VarHandle TOTALS;
    private static final VarHandle TOUCHED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TOUCHED_COUNT = lookup.findVarHandle(CounterCells.class, "touchedCount", int.class);
            TOTALS = lookup.findVarHandle(CounterCells.class, "totals", long[].class);
            TOUCHED = lookup.findVarHandle(CounterCells.class, "touched", int[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Running totals by series id; written by the owning thread only, which replaces the array by a larger copy
     * (release) when it first adds to a series beyond it. The aggregator may read the old array meanwhile: its
     * totals are frozen at values the new one starts from, so a sweep reads a total late, never wrong.
     */
    private long[] totals;
    /** Series with a non-zero total, in first-touch order; appended (and grown, as totals) by the owning thread. */
    private int[] touched;
    @SuppressWarnings("unused")
    private int touchedCount;
    /** What the aggregator has already added to the store, by series id; the aggregator's own memory. */
    private long[] applied = new long[0];

    /** Cells that grow with the series ids the thread records on, not with the store's capacity. */
    public CounterCells() {
        this.totals = new long[64];
        this.touched = new int[16];
    }

    /** Adds a positive amount to the series' total (owning thread only). */
    public void add(int seriesId, long amount) {
        long[] totals = this.totals;
        if (seriesId >= totals.length) {
            totals = grow(seriesId);
        }
        final long total = totals[seriesId];
        if (total == 0) {
            int count = touchedCount;
            int[] list = touched;
            if (count == list.length) {
                list = Arrays.copyOf(list, 2 * count);
                TOUCHED.setRelease(this, list);
            }
            list[count] = seriesId;
            TOUCHED_COUNT.setRelease(this, count + 1);
        }
        CELL.setRelease(totals, seriesId, total + amount);
    }

    private long[] grow(int seriesId) {
        long[] grown = Arrays.copyOf(totals, Math.max(seriesId + 1, 2 * totals.length));
        TOTALS.setRelease(this, grown);
        return grown;
    }

    /**
     * Hands every total that grew since the last sweep to {@code sink} as a difference (aggregator only).
     *
     * @return the number of series that changed
     */
    public int sweep(CounterSink sink) {
        int count = (int) TOUCHED_COUNT.getAcquire(this);
        // Both read after the count: the owner publishes a larger array before a count or an id that needs it.
        int[] list = (int[]) TOUCHED.getAcquire(this);
        long[] totals = (long[]) TOTALS.getAcquire(this);
        if (applied.length < totals.length) {
            applied = Arrays.copyOf(applied, totals.length);
        }
        int changed = 0;
        for (int i = 0; i < count; i++) {
            int seriesId = list[i];
            // A delta is unsigned: the store carries what passes Long.MAX_VALUE (MetricStore.counterAdd).
            long total = (long) CELL.getAcquire(totals, seriesId);
            long delta = total - applied[seriesId];
            if (delta != 0) {
                applied[seriesId] = total;
                sink.counterDelta(seriesId, delta);
                changed++;
            }
        }
        return changed;
    }

    /** Receives counter differences from a sweep. */
    public interface CounterSink {
        /** {@code delta} more was recorded on the counter series {@code seriesId} since the last sweep. */
        void counterDelta(int seriesId, long delta);
    }
}
