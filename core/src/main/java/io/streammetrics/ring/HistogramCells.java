package io.streammetrics.ring;

import io.streammetrics.store.HistogramDelta;
import io.streammetrics.store.HistogramLayout;

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
 * <p>A cell holds the buckets its values reached, twice (the thread's counts, and what the aggregator has applied),
 * so cells draw on a memory budget shared by all threads ({@code MetricsEngine.Builder#histogramCellMemory}); a
 * value the budget has no room for records through the ring as before. Values the aggregator must reject or clamp
 * (negative, above the range) also take the ring, where they are counted. Tables here grow with the histogram
 * indexes the thread records on, not with the store's capacity.
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

    private final HistogramLayout layout;
    private final long highestTrackable;
    private final CellBudget budget;
    /** Cells by histogram record index; the owning thread's own, grown as it records on higher indexes. */
    private HistogramCell[] cells = new HistogramCell[16];
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

    HistogramCells(HistogramLayout layout, CellBudget budget, HistogramDelta delta) {
        this.layout = layout;
        this.highestTrackable = layout.highestTrackableValue();
        this.budget = budget;
        this.delta = delta;
    }

    /**
     * Records {@code value} in this thread's cell for the histogram (owning thread only).
     *
     * @return false if the value is out of the layout's range or the budget has no room for it: the caller then
     * publishes it as an event
     */
    boolean record(int seriesId, int histogramIndex, long value) {
        if (value < 0 || value > highestTrackable) {
            return false;
        }
        final HistogramCell[] cells = this.cells;
        HistogramCell cell;
        if (histogramIndex >= cells.length || (cell = cells[histogramIndex]) == null) {
            cell = create(seriesId, histogramIndex);
        }
        return cell.record(value);
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
    int sweep(HistogramSink sink) {
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
    void release() {
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
