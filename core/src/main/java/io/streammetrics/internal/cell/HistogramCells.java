package io.streammetrics.internal.cell;

import io.streammetrics.common.HistogramLayout;
import io.streammetrics.internal.store.HistogramDelta;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One recording thread's histogram cells ({@link HistogramCell}), by histogram record index: what lets a histogram
 * or timer record skip the ring, as {@link CounterCells} do for counters.
 *
 * <p>Why: a ring event costs the aggregator about 37 ns of its CPU to apply, so one aggregator falls behind a single
 * thread recording in a tight loop, and on a 2-core machine two recording threads leave it under a core
 * ({@code benchmarks/RESULTS.md}: 20 ns a record at one thread, 46 ns at two, with every record applied). In a cell a
 * record costs the recording thread a few loads and stores in its own cache and the aggregator nothing until it
 * sweeps, and never drops.
 *
 * <p><b>Cells for hot histograms only.</b> A cell holds the buckets its values reached, twice (the thread's counts,
 * and what the aggregator has applied): a few kilobytes, worth it for a histogram the thread records into thousands
 * of times a second, not for each of thousands of cold series it touches now and then (one record on each of 10,000
 * timers must not cost 10,000 cells). So a thread's records on a histogram travel as ring events until the pair is
 * hot: at least {@value #HOT_RECORDS} records in each of two consecutive periods of the aggregator's histogram
 * sweep (10 ms, {@link HeatPeriod}), that is about 1,600 records a second and more; or {@value #HOT_RECORDS} in the
 * current period while the thread's ring is half full (the aggregator is not keeping up, or not started: the cell
 * takes the load off the ring before it drops anything). From then on the pair records into its cell. Below that
 * rate a ring event costs the aggregator under 0.1 ms of CPU a second per pair, and the recording thread a publish.
 *
 * <p>Cells draw on a memory budget shared by all threads ({@code MetricsEngine.Builder#histogramCellMemory}); a value
 * the budget has no room for records through the ring. Values the aggregator must reject or clamp (negative, above
 * the range) also take the ring, where they are counted. Tables here grow with the histogram indexes the thread
 * records on, not with the store's capacity.
 */
public final class HistogramCells {
    private static final VarHandle TOUCHED_COUNT;
    private static final VarHandle TOUCHED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TOUCHED_COUNT = lookup.findVarHandle(HistogramCells.class, "touchedCount", int.class);
            TOUCHED = lookup.findVarHandle(HistogramCells.class, "touched", HistogramCell[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Records in a sweep period that make a (thread, histogram) pair hot. */
    static final int HOT_RECORDS = 16;
    private static final int COUNT_BITS = 24;
    private static final int MAX_COUNT = (1 << COUNT_BITS) - 1;

    private final HistogramLayout layout;
    private final long highestTrackable;
    private final CellBudget budget;
    private final HeatPeriod period;
    /** Cells by histogram record index; the owning thread's own, grown as it records on higher indexes. */
    private HistogramCell[] cells = new HistogramCell[16];
    /**
     * Per histogram index without a cell, the thread's recent record rate, the owning thread's own: the period of the
     * last record (high 32 bits), the periods in a row before it that were hot (8 bits), and the records in that
     * period (24 bits).
     */
    private long[] heat = new long[16];
    /**
     * Every cell, in creation order: the aggregator's list. Appended by the owning thread, which replaces the array
     * (release) before it publishes a count that needs the larger one.
     */
    @SuppressWarnings("unused")
    private HistogramCell[] touched = new HistogramCell[16];
    @SuppressWarnings("unused")
    private int touchedCount;
    /** The aggregator's reusable delta, shared with every other ring's cells. */
    private final HistogramDelta delta;

    public HistogramCells(HistogramLayout layout, CellBudget budget, HeatPeriod period, HistogramDelta delta) {
        this.layout = layout;
        this.highestTrackable = layout.highestTrackableValue();
        this.budget = budget;
        this.period = period;
        this.delta = delta;
    }

    /**
     * Records {@code value} in this thread's cell for the histogram (owning thread only).
     *
     * @param ring the thread's ring: when it is half full (the aggregator lags), a pair hot in this period alone gets
     *             its cell
     * @return false if the pair has no cell (not hot yet, or the budget has no room), or the value is out of the
     * layout's range: the caller then publishes it as an event
     */
    public boolean record(int seriesId, int histogramIndex, long value, RingFill ring) {
        if (value < 0 || value > highestTrackable) {
            return false;
        }
        final HistogramCell[] cells = this.cells;
        HistogramCell cell;
        if (histogramIndex < cells.length && (cell = cells[histogramIndex]) != null) {
            return cell.record(value);
        }
        return heatUp(histogramIndex, ring) && create(seriesId, histogramIndex).record(value);
    }

    /** Counts a record on a pair without a cell; true when the pair has just become hot. */
    private boolean heatUp(int histogramIndex, RingFill ring) {
        if (histogramIndex >= heat.length) {
            heat = Arrays.copyOf(heat, Math.max(histogramIndex + 1, 2 * heat.length));
        }
        int now = period.current();
        long last = heat[histogramIndex];
        int lastPeriod = (int) (last >>> 32);
        int streak = (int) (last >>> COUNT_BITS) & 0xFF;
        int count = (int) last & MAX_COUNT;
        if (lastPeriod == now) {
            count = Math.min(MAX_COUNT, count + 1);
        } else {
            streak = lastPeriod == now - 1 && count >= HOT_RECORDS ? Math.min(255, streak + 1) : 0;
            count = 1;
        }
        if (count >= HOT_RECORDS && (streak >= 1 || ring.halfFull())) {
            heat[histogramIndex] = 0;
            return true;
        }
        heat[histogramIndex] = ((long) now << 32) | ((long) streak << COUNT_BITS) | count;
        return false;
    }

    private HistogramCell create(int seriesId, int histogramIndex) {
        if (histogramIndex >= cells.length) {
            cells = Arrays.copyOf(cells, Math.max(histogramIndex + 1, 2 * cells.length));
        }
        HistogramCell cell = new HistogramCell(seriesId, histogramIndex, layout, budget);
        cells[histogramIndex] = cell;
        int count = touchedCount;
        HistogramCell[] list = touched;
        if (count == list.length) {
            list = Arrays.copyOf(list, 2 * count);
            TOUCHED.setRelease(this, list);
        }
        list[count] = cell;
        TOUCHED_COUNT.setRelease(this, count + 1);
        return cell;
    }

    /**
     * Hands what every cell recorded since the last sweep to {@code sink} (aggregator only).
     *
     * @return the number of histograms that changed
     */
    public int sweep(HistogramSink sink) {
        int count = (int) TOUCHED_COUNT.getAcquire(this);
        // Read after the count: the owner publishes a larger list before a count that needs it.
        HistogramCell[] list = (HistogramCell[]) TOUCHED.getAcquire(this);
        int changed = 0;
        for (int i = 0; i < count; i++) {
            HistogramCell cell = list[i];
            if (cell.sweep(delta)) {
                sink.histogramDelta(cell.seriesId, delta);
                changed++;
            }
        }
        return changed;
    }

    /** Gives the cells' memory back to the budget, once the owning thread has ended and the last sweep is done. */
    public void release() {
        int count = (int) TOUCHED_COUNT.getAcquire(this);
        HistogramCell[] list = (HistogramCell[]) TOUCHED.getAcquire(this);
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            bytes += list[i].bytes();
        }
        budget.give(bytes);
    }

    /** Receives histogram increments from a sweep. */
    public interface HistogramSink {
        /** {@code delta} more was recorded on the histogram series {@code seriesId} since the last sweep. */
        void histogramDelta(int seriesId, HistogramDelta delta);
    }
}
