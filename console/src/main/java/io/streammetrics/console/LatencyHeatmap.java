package io.streammetrics.console;

import io.streammetrics.common.HistogramLayout;
import io.streammetrics.exemplar.Exemplar;
import io.streammetrics.snapshot.FamilySnapshot;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.SeriesPoint;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * One timer family's latency heatmap: for each update, how many values the family's series (summed) recorded in each
 * of {@link #ROWS} log-scaled latency rows since the previous update. The counts are differences of the cumulative
 * bucket counts of consecutive snapshots, so nothing is sampled: every recorded value lands in one cell.
 *
 * <p>Rows are half octaves: row {@code r} holds values from {@code 2^(5 + r/2)} ns (32 ns, 45 ns, 64 ns, ...) to the
 * next row's start, up to row 63 at about 97 s and above; values below 32 ns go to row 0. An HDR bucket goes to the
 * row of its lowest value, so a value within one HDR bucket width (under 1 %) of a row's start may be counted in the
 * row below. Memory: {@code 4 * ROWS} bytes per update kept (256 B, 230 KB for 15 minutes at 1 s), plus the
 * previous cumulative counts.
 */
final class LatencyHeatmap {
    /** Rows per family; fixed so that a page can place them without asking. */
    static final int ROWS = 64;
    /** The lowest row starts at 2^5 ns. */
    static final int FIRST_POWER = 5;
    static final int ROWS_PER_OCTAVE = 2;

    private final String family;
    private final String help;
    private final int[][] counts;
    /** Per update, the trace id of the newest exemplar recorded in each row since the previous update (or null). */
    private final String[][] traces;
    /** The newest exemplar timestamp seen: exemplars at or before it were shown already. */
    private long exemplarsSeenMillis = Long.MIN_VALUE;
    private final long[] cumulative = new long[ROWS];
    private final long[] current = new long[ROWS];
    private final Map<HistogramLayout, int[]> rowsByLayout = new IdentityHashMap<>();
    private boolean primed;
    long seenAt;

    LatencyHeatmap(String family, String help, int capacity) {
        this.family = family;
        this.help = help;
        this.counts = new int[capacity][];
        this.traces = new String[capacity][];
    }

    String family() {
        return family;
    }

    String help() {
        return help;
    }

    /** The row of a latency in nanoseconds. */
    static int rowOf(long nanos) {
        if (nanos < (1L << FIRST_POWER)) {
            return 0;
        }
        // floor(2 * log2(nanos)) from the bit length and whether the value passes the half octave (x sqrt 2).
        int power = 63 - Long.numberOfLeadingZeros(nanos);
        double fraction = nanos / (double) (1L << power);
        int halfOctaves = 2 * power + (fraction >= Math.sqrt(2) ? 1 : 0);
        return Math.min(ROWS - 1, halfOctaves - ROWS_PER_OCTAVE * FIRST_POWER);
    }

    /** The lowest latency of row {@code row}, in seconds. */
    static double rowStartSeconds(int row) {
        return Math.pow(2, FIRST_POWER + row / (double) ROWS_PER_OCTAVE) / 1e9;
    }

    /**
     * Stores, in {@code slot}, what the family recorded since the previous update. The first update only primes the
     * cumulative counts (its slot stays empty: the engine's history before the console is not a second's worth).
     */
    void update(FamilySnapshot snapshot, int slot) {
        Arrays.fill(current, 0);
        for (SeriesPoint point : snapshot.points()) {
            HistogramPoint histogram = (HistogramPoint) point;
            int[] rows = rows(histogram.layout());
            for (int i = histogram.lowIndex(); i <= histogram.highIndex(); i++) {
                current[rows[i]] += histogram.countAt(i);
            }
        }
        int[] cells = null;
        if (primed) {
            for (int row = 0; row < ROWS; row++) {
                // A series that went away lowers the sum: that is no negative count, only nothing new.
                long delta = Math.max(0, current[row] - cumulative[row]);
                if (delta > 0) {
                    if (cells == null) {
                        cells = new int[ROWS];
                    }
                    cells[row] = (int) Math.min(Integer.MAX_VALUE, delta);
                }
            }
        }
        traces[slot] = newExemplars(snapshot);
        primed = true;
        System.arraycopy(current, 0, cumulative, 0, ROWS);
        counts[slot] = cells;
    }

    /**
     * The trace ids of the exemplars recorded since the previous update, by row (the newest per row), or null: what a
     * hover over a heatmap cell names, so that a slow band leads to one of its traces.
     */
    private String[] newExemplars(FamilySnapshot snapshot) {
        String[] rowTraces = null;
        long[] rowTimes = null;
        long newest = exemplarsSeenMillis;
        for (SeriesPoint point : snapshot.points()) {
            for (Exemplar exemplar : ((HistogramPoint) point).exemplars()) {
                if (exemplar.timestampMillis() <= exemplarsSeenMillis) {
                    continue;
                }
                int row = rowOf((long) exemplar.value());
                if (rowTraces == null) {
                    rowTraces = new String[ROWS];
                    rowTimes = new long[ROWS];
                }
                if (rowTraces[row] == null || exemplar.timestampMillis() > rowTimes[row]) {
                    rowTraces[row] = exemplar.traceId();
                    rowTimes[row] = exemplar.timestampMillis();
                }
                newest = Math.max(newest, exemplar.timestampMillis());
            }
        }
        exemplarsSeenMillis = newest;
        return primed ? rowTraces : null;
    }

    /** Marks {@code slot} empty (the family was not in the snapshot). */
    void clear(int slot) {
        counts[slot] = null;
        traces[slot] = null;
    }

    /** The exemplar trace ids of {@code slot} by row, or null when none was recorded; do not modify. */
    String[] traces(int slot) {
        return traces[slot];
    }

    /** The counts of {@code slot}, or null when nothing was recorded; do not modify. */
    int[] counts(int slot) {
        return counts[slot];
    }

    private int[] rows(HistogramLayout layout) {
        int[] rows = rowsByLayout.get(layout);
        if (rows == null) {
            rows = new int[layout.countsLength()];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = rowOf(layout.valueAt(i));
            }
            rowsByLayout.put(layout, rows);
        }
        return rows;
    }
}
