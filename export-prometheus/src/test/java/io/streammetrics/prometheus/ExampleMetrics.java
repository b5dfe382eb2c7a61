package io.streammetrics.prometheus;

import io.streammetrics.MetricsEngine;
import io.streammetrics.common.Unit;
import io.streammetrics.metric.CounterFamily;
import io.streammetrics.metric.Histogram;
import io.streammetrics.metric.Timer;

/** An engine holding every metric type, label values with special characters and an overflow series. */
final class ExampleMetrics {
    /** A label value with a quote, a backslash, a newline and non-ASCII characters. */
    static final String NASTY = "q\"uo\\te\nline ünïcødé ✓";

    private ExampleMetrics() {
    }

    static void populate(MetricsEngine engine) {
        CounterFamily requests = engine.counter("example_requests_total").help("Requests handled.")
                .labelNames("path").cardinalityLimit(2).register();
        requests.labels("/a").add(10);
        requests.labels(NASTY).add(3);
        requests.labels("/overflow1").increment();
        requests.labels("/overflow2").add(4);
        engine.counter("example_sent").help("Bytes sent.").unit(Unit.BYTES).register().labels().add(1024);
        engine.gauge("example_queue_depth").help("Queue depth.").labelNames("queue").register().labels(NASTY).set(7);
        Histogram sizes = engine.histogram("example_payload").help("Payload sizes.").unit(Unit.BYTES).register().labels();
        Histogram items = engine.histogram("example_batch_items").help("Items per batch.").register().labels();
        Timer latency = engine.timer("example_latency").help("Processing latency.").labelNames("stage")
                .register().labels("parse");
        for (int i = 1; i <= 1000; i++) {
            sizes.record(i * 97L);
            items.record(i % 37);
            latency.record(i * 10_000L);
        }
    }
}
