package io.streammetrics.stream;

import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Counter;
import io.streammetrics.snapshot.MetricsSnapshot;
import org.junit.jupiter.api.Test;

import static io.streammetrics.EngineTestSupport.allocatedBytes;
import static io.streammetrics.EngineTestSupport.counterLong;
import static io.streammetrics.EngineTestSupport.dropped;
import static io.streammetrics.EngineTestSupport.histogram;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The facade's record methods are records on cached handles: they allocate nothing on the recording thread. */
class StreamMetricsAllocationTest {
    private static final int WARM_UP = 200_000;
    private static final int RECORDS = 200_000;
    private static final long BUDGET_BYTES = 64 * 1024;

    @Test
    void recordMethodsAllocateNothing() {
        try (MetricsEngine engine = MetricsEngine.builder().backPressure(BackPressure.BLOCK).build().start()) {
            StreamMetrics stage = StreamMetrics.builder(engine).pipeline("alloc").stage("parse").partition("0").build();
            Counter parseErrors = stage.errorType("parse");
            Counter revenue = stage.counter("alloc_revenue_total", "Revenue.");

            record(stage, parseErrors, revenue, WARM_UP);
            long allocated = allocatedBytes(() -> record(stage, parseErrors, revenue, RECORDS));
            System.out.printf("StreamMetrics allocated %d bytes for %d iterations%n", allocated, RECORDS);

            engine.close();
            MetricsSnapshot snapshot = engine.snapshot();
            long total = WARM_UP + RECORDS;
            // The loop did its work: every record was applied.
            assertEquals(total * 2, counterLong(snapshot, "stream_records_processed", "alloc", "parse", "0"));
            assertEquals(total * 2, counterLong(snapshot, "stream_errors", "alloc", "parse", "0", "parse"),
                    "the kept handle and errorType(\"parse\") count into one series");
            assertEquals(total * 2, histogram(snapshot, StreamMetricNames.END_TO_END_LATENCY, "alloc", "parse", "0")
                    .count());
            assertEquals(0, dropped(snapshot, "ring_full"));
            assertTrue(allocated < BUDGET_BYTES, "recording allocated " + allocated + " bytes, budget " + BUDGET_BYTES);
        }
    }

    private static void record(StreamMetrics stage, Counter parseErrors, Counter revenue, int n) {
        long eventMillis = System.currentTimeMillis() - 5;
        for (int i = 0; i < n; i++) {
            StreamFixtures.recordEveryMethod(stage, i, eventMillis);
            parseErrors.increment();
            revenue.add(1.5);
        }
    }
}
