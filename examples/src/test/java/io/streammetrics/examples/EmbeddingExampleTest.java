package io.streammetrics.examples;

import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.MetricsSnapshot;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's example runs and records what it says. */
class EmbeddingExampleTest {
    @Test
    void readmeExampleRecordsEveryValue() {
        MetricsSnapshot snapshot = EmbeddingExample.run();
        CounterPoint processed = (CounterPoint) snapshot.family("stream_records_processed").point("parse");
        HistogramPoint latency = (HistogramPoint) snapshot.family("stream_processing_latency").point("parse");
        assertEquals(1_000, processed.longValue());
        assertEquals(1_000, latency.count());
    }
}
