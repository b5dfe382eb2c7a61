package io.streammetrics.ring;

import io.streammetrics.store.HistogramDelta;
import io.streammetrics.store.HistogramLayout;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

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
 * <p>A cell is made on the thread's first record on a histogram and holds every bucket twice (the thread's counts,
 * and what the aggregator has applied), so cells draw on a budget shared by all threads
 * ({@code MetricsEngine.Builder#histogramCellMemory}); once it is spent, further (thread, histogram) pairs record
 * through the ring as before. Values the aggregator must reject or clamp (negative, above the range) also take the
 * ring, where they are counted.
 */
public final class HistogramCells {
    private static final VarHandle TOUCHED_COUNT;

    static {
        try {
            TOUCHED_COUNT = MethodHandles.lookup().findVarHandle(HistogramCells.class, "touchedCount", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final HistogramLayout layout;
    private final long highestTrackable;
    private final CellBudget budget;
    /** Cells by histogram record index; written by the owning thread before it publishes {@link #touchedCount}. */
    private final HistogramCell[] cells;
    /** Histograms the budget refused a cell to; the owning thread's own. */
    private final boolean[] refused;
    /** Histogram indexes with a cell, in creation order; appended by the owning thread only. */
    private final int[] touched;
    @SuppressWarnings("unused")
    private int touchedCount;
    /** The aggregator's reusable delta, shared with every other ring's cells. */
    private final HistogramDelta delta;

    HistogramCells(HistogramLayout layout, int maxHistograms, CellBudget budget, HistogramDelta delta) {
        this.layout = layout;
        this.highestTrackable = layout.highestTrackableValue();
        this.budget = budget;
        this.cells = new HistogramCell[maxHistograms];
        this.refused = new boolean[maxHistograms];
        this.touched = new int[maxHistograms];
        this.delta = delta;
    }

    /**
     * Records {@code value} in this thread's cell for the histogram (owning thread only).
     *
     * @return false if the value is out of the layout's range or the budget has no cell for it: the caller then
     * publishes it as an event
     */
    boolean record(int seriesId, int histogramIndex, long value) {
        if (value < 0 || value > highestTrackable) {
            return false;
        }
        HistogramCell cell = cells[histogramIndex];
        if (cell == null) {
            cell = create(seriesId, histogramIndex);
            if (cell == null) {
                return false;
            }
        }
        cell.record(value);
        return true;
    }

    private HistogramCell create(int seriesId, int histogramIndex) {
        if (refused[histogramIndex] || !budget.take(HistogramCell.bytesFor(layout))) {
            refused[histogramIndex] = true;
            return null;
        }
        HistogramCell cell = new HistogramCell(seriesId, histogramIndex, layout);
        cells[histogramIndex] = cell;
        int count = touchedCount;
        touched[count] = histogramIndex;
        TOUCHED_COUNT.setRelease(this, count + 1);
        return cell;
    }

    /**
     * Hands what every cell recorded since the last sweep to {@code sink} (aggregator only).
     *
     * @return the number of histograms that changed
     */
    int sweep(HistogramSink sink) {
        int count = (int) TOUCHED_COUNT.getAcquire(this);
        int changed = 0;
        for (int i = 0; i < count; i++) {
            HistogramCell cell = cells[touched[i]];
            if (cell.sweep(delta)) {
                sink.histogramDelta(cell.seriesId, delta);
                changed++;
            }
        }
        return changed;
    }

    /** Gives the cells' memory back to the budget, once the owning thread has ended and the last sweep is done. */
    void release() {
        budget.give((int) TOUCHED_COUNT.getAcquire(this) * HistogramCell.bytesFor(layout));
    }

    /** Receives histogram increments from a sweep. */
    public interface HistogramSink {
        /** {@code delta} more was recorded on the histogram series {@code seriesId} since the last sweep. */
        void histogramDelta(int seriesId, HistogramDelta delta);
    }
}
