package io.streammetrics.examples;

import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.Timer;
import io.streammetrics.snapshot.MetricsSnapshot;

/** The embedding example of the README, kept here so that the build compiles it (and a test runs it). */
public final class EmbeddingExample {
    private EmbeddingExample() {
    }

    /** Records a few values and returns the engine's snapshot after close. */
    public static MetricsSnapshot run() {
        // README example: begin
        MetricsEngine engine = MetricsEngine.builder().build().start();
        Counter processed = engine.counter("stream_records_processed_total").help("Records processed.")
                .labelNames("stage").register().labels("parse");      // resolve once, keep the handle
        Timer latency = engine.timer("stream_processing_latency").help("Processing time.")
                .labelNames("stage").register().labels("parse");
        for (int i = 0; i < 1_000; i++) {
            long start = latency.start();
            processed.increment();                                      // no lock, no lookup, no allocation
            latency.recordSince(start);
        }
        engine.close();                                                 // drains the rings
        MetricsSnapshot snapshot = engine.snapshot();
        // README example: end
        return snapshot;
    }
}
