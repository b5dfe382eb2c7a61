package io.streammetrics;

import io.streammetrics.metric.Counter;
import io.streammetrics.metric.Gauge;
import io.streammetrics.metric.Histogram;
import io.streammetrics.metric.Timer;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.MetricsSnapshot;
import org.junit.jupiter.api.Test;

import static io.streammetrics.EngineTestSupport.allocatedBytes;
import static io.streammetrics.EngineTestSupport.counter;
import static io.streammetrics.EngineTestSupport.dropped;
import static io.streammetrics.EngineTestSupport.gauge;
import static io.streammetrics.EngineTestSupport.histogram;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recording on a resolved handle allocates nothing on the producer thread. */
class AllocationTest {
    private static final int WARM_UP = 1_000_000;
    private static final int RECORDS = 1_000_000;
    private static final long BUDGET_BYTES = 64 * 1024;

    @Test
    void recordingAllocatesNothingOnTheProducerThread() {
        try (MetricsEngine engine = MetricsEngine.builder().backPressure(BackPressure.BLOCK).build().start()) {
            Counter counter = engine.counter("alloc_ops_total").register().labels();
            Gauge gauge = engine.gauge("alloc_level").register().labels();
            Histogram histogram = engine.histogram("alloc_sizes").register().labels();
            Timer timer = engine.timer("alloc_latency").register().labels();

            // Same loop first: JIT-compiles it and gives this thread its ring.
            record(counter, gauge, histogram, timer, WARM_UP);

            long allocated = allocatedBytes(() -> record(counter, gauge, histogram, timer, RECORDS));
            System.out.printf("allocated %d bytes on the producer thread for %d x 8 records%n", allocated, RECORDS);

            engine.close();
            MetricsSnapshot snapshot = engine.snapshot();
            long total = WARM_UP + RECORDS;
            // The loop was not a no-op: every record was applied.
            CounterPoint ops = counter(snapshot, "alloc_ops");
            assertEquals(3 * total, ops.longValue(), "increment() + add(2) per iteration");
            assertEquals(3.5 * total, ops.value(), "plus add(0.5) per iteration");
            assertTrue(ops.updates() > 0, "the counter's store slot was updated");
            assertEquals(RECORDS - 1, gauge(snapshot, "alloc_level").value());
            assertEquals(total, gauge(snapshot, "alloc_level").updates());
            HistogramPoint sizes = histogram(snapshot, "alloc_sizes");
            assertEquals(total, sizes.count());
            assertEquals(expectedHistogramSum(WARM_UP) + expectedHistogramSum(RECORDS), sizes.sum());
            assertEquals(2 * total, histogram(snapshot, "alloc_latency").count(), "record() + recordSince() per iteration");
            assertEquals(0, dropped(snapshot, "ring_full"));

            assertTrue(allocated < BUDGET_BYTES, "recording allocated " + allocated + " bytes, budget " + BUDGET_BYTES);
        }
    }

    private static long expectedHistogramSum(int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += i & 1023;
        }
        return sum;
    }

    private static void record(Counter counter, Gauge gauge, Histogram histogram, Timer timer, int n) {
        for (int i = 0; i < n; i++) {
            counter.increment();
            counter.add(2L);
            counter.add(0.5);
            gauge.set(i);
            histogram.record(i & 1023);
            timer.record(1_000 + (i & 1023));
            long start = timer.start();
            timer.recordSince(start);
        }
    }
}
