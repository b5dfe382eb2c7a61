package io.streammetrics.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

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
    private static final VarHandle TOUCHED = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle TOUCHED_COUNT;

    static {
        try {
            TOUCHED_COUNT = MethodHandles.lookup().findVarHandle(CounterCells.class, "touchedCount", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Running totals by series id; written by the owning thread only. */
    private final long[] totals;
    /** Series with a non-zero total (as id + 1), in first-touch order; appended by the owning thread only. */
    private final int[] touched;
    @SuppressWarnings("unused")
    private int touchedCount;
    /** What the aggregator has already added to the store, by series id; the aggregator's own memory. */
    private final long[] applied;

    CounterCells(int maxSeries) {
        this.totals = new long[maxSeries];
        this.touched = new int[maxSeries];
        this.applied = new long[maxSeries];
    }

    /** Adds a positive amount to the series' total (owning thread only). */
    void add(int seriesId, long amount) {
        final long[] totals = this.totals;
        final long total = totals[seriesId];
        if (total == 0) {
            int count = touchedCount;
            // Only a total that wrapped back to zero can touch a series twice; the record path must not throw.
            if (count < touched.length) {
                touched[count] = seriesId + 1;
                TOUCHED_COUNT.setRelease(this, count + 1);
            }
        }
        CELL.setRelease(totals, seriesId, total + amount);
    }

    /**
     * Hands every total that grew since the last sweep to {@code sink} as a difference (aggregator only).
     *
     * @return the number of series that changed
     */
    int sweep(CounterSink sink) {
        return sweep(touched, (int) TOUCHED_COUNT.getAcquire(this), totals, applied, sink);
    }

    /**
     * The sweep of running totals, shared with {@link SharedCounterCells}: for each series listed in
     * {@code touched} (as id + 1; 0 is a slot claimed but not written yet, picked up by a later sweep), hands the
     * growth of its total since the last sweep to {@code sink} and remembers it in {@code applied}.
     *
     * @return the number of series that changed
     */
    static int sweep(int[] touched, int count, long[] totals, long[] applied, CounterSink sink) {
        int changed = 0;
        for (int i = 0; i < count; i++) {
            int entry = (int) TOUCHED.getAcquire(touched, i);
            if (entry == 0) {
                continue;
            }
            int seriesId = entry - 1;
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
