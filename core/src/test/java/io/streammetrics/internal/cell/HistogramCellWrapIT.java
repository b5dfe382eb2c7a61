package io.streammetrics.internal.cell;

import io.streammetrics.common.HistogramLayout;
import io.streammetrics.internal.cell.HistogramCell;
import io.streammetrics.internal.store.HistogramDelta;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reproduction of a cell count wrapping, at full size: 2^32 + 999 records into one bucket between two
 * sweeps. An integration test (failsafe, {@code ./mvnw verify}) rather than a unit test because it makes four billion
 * records (about 15 s on a quiet 2-core machine).
 */
class HistogramCellWrapIT {
    private static final HistogramLayout LAYOUT = new HistogramLayout(1, 3_600_000_000_000L, 2);

    /**
     * A bucket that gains more than 2^32 records between two sweeps (the aggregator stalled, or the records came
     * before {@code start()}) keeps every one of them: counts never wrap.
     */
    @Test
    void aBucketGainingMoreThan2To32RecordsBetweenSweepsLosesNone() {
        HistogramCell cell = new HistogramCell(0, 0, LAYOUT);
        HistogramDelta delta = new HistogramDelta(LAYOUT);
        long applied = 0;
        long sum = 0;
        cell.record(1_000);
        assertTrue(cell.sweep(delta));
        applied += delta.count(0);
        sum += delta.sum();
        long records = (1L << 32) + 999;
        for (long i = 0; i < records; i++) {
            cell.record(1_000);
        }
        assertTrue(cell.sweep(delta));
        assertEquals(1, delta.size(), "one bucket changed");
        applied += delta.count(0);
        sum += delta.sum();
        assertEquals(records + 1, applied, "records in the bucket");
        assertEquals((records + 1) * 1_000, sum);
    }
}
