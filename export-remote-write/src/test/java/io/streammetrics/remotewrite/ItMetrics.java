package io.streammetrics.remotewrite;

import io.streammetrics.MetricsEngine;
import io.streammetrics.common.Unit;
import io.streammetrics.internal.text.DoubleFormat;
import io.streammetrics.metric.CounterFamily;
import io.streammetrics.metric.Histogram;
import io.streammetrics.metric.Timer;
import io.streammetrics.push.Expected;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.GaugePoint;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.MetricsSnapshot;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The series the remote-write ITs push: counters with labels (integer and fractional increments), a gauge, a
 * histogram of bytes and a timer with 12 classic bounds each, recorded with values a decade away from every bound
 * so that the expected bucket counts are exact. {@link #expected} turns the engine's snapshot into the PromQL
 * queries and values a receiver must then return.
 */
final class ItMetrics {
    static final double[] BYTE_BOUNDS = {1, 3, 10, 30, 100, 300, 1_000, 3_000, 10_000, 30_000, 100_000, 300_000};
    static final double[] SECOND_BOUNDS = {1e-6, 3e-6, 1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3};
    static final String[] STAGES = {"parse", "enrich", "store"};

    private final CounterFamily orders;
    private final Histogram payload;
    private final Timer latency;
    private final MetricsEngine engine;
    private final SplittableRandom random = new SplittableRandom(13);
    /** Values recorded into each classic bucket of payload and latency (index k: up to bound k, last: +Inf). */
    private final long[] payloadBuckets = new long[BYTE_BOUNDS.length + 1];
    private final long[] latencyBuckets = new long[SECOND_BOUNDS.length + 1];

    ItMetrics(MetricsEngine engine) {
        this.engine = engine;
        this.orders = engine.counter("it_orders").help("Orders by stage.").labelNames("stage").register();
        engine.gauge("it_queue").help("Queue depth.").register();
        this.payload = engine.histogram("it_payload").unit(Unit.BYTES).classicUpperBounds(BYTE_BOUNDS).register()
                .labels();
        this.latency = engine.timer("it_latency").classicUpperBounds(SECOND_BOUNDS).register().labels();
    }

    /** Records one round: counters, gauge, and {@code n} values into each distribution. */
    void record(int n) {
        for (String stage : STAGES) {
            orders.labels(stage).add(1 + random.nextInt(5));
        }
        orders.labels("store").add(0.25);
        engine.gauge("it_queue").register().labels().set(random.nextInt(1000) - 500);
        for (int i = 0; i < n; i++) {
            // 1.7 times bound k-1 lies in bucket k (bounds step by about 3), far from both of its bounds.
            int k = 1 + random.nextInt(BYTE_BOUNDS.length);
            payload.record(Math.round(1.7 * BYTE_BOUNDS[k - 1]));
            payloadBuckets[k]++;
            int j = random.nextInt(SECOND_BOUNDS.length + 1);
            latency.record(j == 0 ? 500 : Math.round(1.7e9 * SECOND_BOUNDS[j - 1]));
            latencyBuckets[j]++;
        }
    }

    /**
     * Every it_ series of {@code snapshot} as the receiver must store it, with {@code selector} (e.g.
     * {@code job="it"}) added to each query.
     */
    Expected expected(MetricsSnapshot snapshot, String selector) {
        Expected expected = new Expected();
        for (String stage : STAGES) {
            expected.put("it_orders_total{stage=\"" + stage + "\"," + selector + "}",
                    ((CounterPoint) snapshot.family("it_orders").point(stage)).value());
        }
        expected.put("it_queue{" + selector + "}", ((GaugePoint) snapshot.family("it_queue").point()).value());
        HistogramPoint bytes = (HistogramPoint) snapshot.family("it_payload").point();
        classic(expected, "it_payload_bytes", selector, BYTE_BOUNDS, payloadBuckets, bytes, 1);
        HistogramPoint seconds = (HistogramPoint) snapshot.family("it_latency").point();
        classic(expected, "it_latency_seconds", selector, SECOND_BOUNDS, latencyBuckets, seconds, 1e9);
        return expected;
    }

    private static void classic(Expected expected, String name, String selector, double[] bounds, long[] buckets,
                                HistogramPoint point, double scale) {
        long cumulative = 0;
        for (int k = 0; k <= bounds.length; k++) {
            cumulative += buckets[k];
            expected.put(name + "_bucket{le=\"" + le(k < bounds.length ? bounds[k] : Double.POSITIVE_INFINITY)
                    + "\"," + selector + "}", cumulative);
        }
        if (cumulative != point.count()) {
            throw new AssertionError(name + ": recorded " + cumulative + " values, the snapshot counts " + point.count());
        }
        expected.put(name + "_count{" + selector + "}", point.count());
        expected.put(name + "_sum{" + selector + "}", point.sum() / scale);
    }

    /** A bound as the exporter writes {@code le} (and a Prometheus scrape of the engine does). */
    static String le(double bound) {
        byte[] text = new byte[DoubleFormat.MAX_LENGTH];
        return new String(text, 0, DoubleFormat.write(bound, text, 0), StandardCharsets.US_ASCII);
    }
}
