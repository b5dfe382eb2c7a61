package io.streammetrics.internal.cell;

/**
 * The aggregator's histogram sweep periods, numbered: what recording threads measure a (thread, histogram) pair's
 * record rate against to decide whether it deserves a cell ({@link HistogramCells}). The aggregator advances it once
 * per scheduled sweep (every 10 ms); threads read it only on records that have no cell. While the aggregator does
 * not run, the period stands still and only a filling ring makes a pair hot.
 */
public final class HeatPeriod {
    private volatile int current;

    /** The current period (any thread). */
    int current() {
        return current;
    }

    /** Starts the next period (the aggregator, after a scheduled sweep). */
    public void advance() {
        current = current + 1;
    }
}
