package io.streammetrics.console;

import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.TimerFamily;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The heatmap's rows and its per-update counts, which are differences of cumulative bucket counts. */
class LatencyHeatmapTest {
    @Test
    void everyLatencyFallsInTheRowWhoseRangeHoldsIt() {
        assertEquals(0, LatencyHeatmap.rowOf(0));
        assertEquals(0, LatencyHeatmap.rowOf(31));
        assertEquals(0, LatencyHeatmap.rowOf(32));
        assertEquals(0, LatencyHeatmap.rowOf(45));       // 32 * sqrt(2) = 45.25
        assertEquals(1, LatencyHeatmap.rowOf(46));
        assertEquals(2, LatencyHeatmap.rowOf(64));
        assertEquals(LatencyHeatmap.ROWS - 1, LatencyHeatmap.rowOf(Long.MAX_VALUE));
        SplittableRandom random = new SplittableRandom(14);
        for (int i = 0; i < 100_000; i++) {
            long nanos = 32 + (long) Math.pow(2, random.nextDouble(0, 36));
            int row = LatencyHeatmap.rowOf(nanos);
            double seconds = nanos / 1e9;
            assertTrue(LatencyHeatmap.rowStartSeconds(row) <= seconds * (1 + 1e-12), nanos + " below row " + row);
            assertTrue(row == LatencyHeatmap.ROWS - 1 || seconds < LatencyHeatmap.rowStartSeconds(row + 1),
                    nanos + " above row " + row);
        }
    }

    @Test
    void eachUpdateHoldsWhatTheFamilysSeriesRecordedSinceThePrevious() {
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).backPressure(BackPressure.BLOCK).build()
                .start()) {
            TimerFamily family = engine.timer("work_seconds").labelNames("stage").register();
            LatencyHeatmap heatmap = new LatencyHeatmap("work_seconds", "", 4);
            family.labels("a").record(1_000_000);
            heatmap.update(engine.snapshot().family("work_seconds"), 0);
            assertNull(heatmap.counts(0), "the first update only primes: what came before is no second's worth");

            for (int i = 0; i < 30; i++) {
                family.labels("a").record(1_000_000);        // 1 ms
            }
            for (int i = 0; i < 4; i++) {
                family.labels("b").record(300_000_000);      // 300 ms, a series that is new in this update
            }
            heatmap.update(engine.snapshot().family("work_seconds"), 1);
            int[] expected = new int[LatencyHeatmap.ROWS];
            expected[LatencyHeatmap.rowOf(1_000_000)] = 30;
            expected[LatencyHeatmap.rowOf(300_000_000)] = 4;
            assertArrayEquals(expected, heatmap.counts(1));

            heatmap.update(engine.snapshot().family("work_seconds"), 2);
            assertNull(heatmap.counts(2), "nothing recorded meanwhile");
            heatmap.clear(1);
            assertNull(heatmap.counts(1));
        }
    }

    @Test
    void eachUpdateNamesTheTraceOfTheNewestExemplarOfEachRow() throws InterruptedException {
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false)
                .exemplarSampleInterval(java.time.Duration.ofMillis(1)).build().start()) {
            io.streammetrics.metric.Timer timer = engine.timer("traced_seconds").register().labels();
            LatencyHeatmap heatmap = new LatencyHeatmap("traced_seconds", "", 4);
            timer.recordWithExemplar(1_000_000, 0xa, 0x1, 0x1);
            heatmap.update(engine.snapshot().family("traced_seconds"), 0);
            assertNull(heatmap.traces(0), "the first update only primes");

            Thread.sleep(5);                                  // past the 1 ms sample interval
            engine.snapshot();                                // a pass moves the engine's coarse clock
            timer.recordWithExemplar(300_000_000, 0xb, 0x2, 0x2);
            heatmap.update(engine.snapshot().family("traced_seconds"), 1);
            String[] traces = heatmap.traces(1);
            assertEquals("000000000000000b0000000000000002", traces[LatencyHeatmap.rowOf(300_000_000)]);
            assertNull(traces[LatencyHeatmap.rowOf(1_000_000)], "shown with the update it was recorded in");

            heatmap.update(engine.snapshot().family("traced_seconds"), 2);
            assertNull(heatmap.traces(2), "nothing recorded meanwhile");
        }
    }
}
