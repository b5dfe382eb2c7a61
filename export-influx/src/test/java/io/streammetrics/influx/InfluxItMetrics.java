package io.streammetrics.influx;

import io.streammetrics.MetricsEngine;
import io.streammetrics.common.Unit;
import io.streammetrics.metric.CounterFamily;
import io.streammetrics.metric.Histogram;
import io.streammetrics.metric.Timer;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.GaugePoint;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.MetricsSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The series the line-protocol ITs push (counters with labels, a gauge, a byte histogram and a timer) and, from the
 * engine's snapshot, every field value a database must then hold: counter totals, gauge, count, sum, exact min and
 * max, and HdrHistogram's quantiles of the same buckets.
 */
final class InfluxItMetrics {
    static final String[] STAGES = {"parse", "enrich", "store"};
    private static final double[] PERCENTILES = {50, 90, 99, 99.9};
    private static final String[] QUANTILE_FIELDS = {"p50", "p90", "p99", "p99_9"};

    private final MetricsEngine engine;
    private final CounterFamily orders;
    private final Histogram payload;
    private final Timer latency;
    private final SplittableRandom random = new SplittableRandom(31);

    InfluxItMetrics(MetricsEngine engine) {
        this.engine = engine;
        this.orders = engine.counter("it_orders").labelNames("stage").register();
        engine.gauge("it_queue").register();
        this.payload = engine.histogram("it_payload").unit(Unit.BYTES).register().labels();
        this.latency = engine.timer("it_latency").register().labels();
    }

    void record(int n) {
        for (String stage : STAGES) {
            orders.labels(stage).add(1 + random.nextInt(5));
        }
        orders.labels("store").add(0.25);
        engine.gauge("it_queue").register().labels().set(random.nextInt(1000) - 500.5);
        for (int i = 0; i < n; i++) {
            payload.record(1 + random.nextInt(100_000));
            latency.record(1_000 + random.nextLong(100_000_000));
        }
    }

    /** Every field of the it_ series as {@code snapshot} has them, with {@code tags} on each. */
    List<Field> expected(MetricsSnapshot snapshot, Map<String, String> tags) {
        List<Field> fields = new ArrayList<>();
        for (String stage : STAGES) {
            fields.add(new Field("it_orders", with(tags, "stage", stage), "value",
                    ((CounterPoint) snapshot.family("it_orders").point(stage)).value()));
        }
        fields.add(new Field("it_queue", tags, "value", ((GaugePoint) snapshot.family("it_queue").point()).value()));
        distribution(fields, "it_payload_bytes", tags, (HistogramPoint) snapshot.family("it_payload").point(), 1);
        distribution(fields, "it_latency_seconds", tags, (HistogramPoint) snapshot.family("it_latency").point(), 1e9);
        return fields;
    }

    private static void distribution(List<Field> fields, String measurement, Map<String, String> tags,
                                     HistogramPoint point, double scale) {
        fields.add(new Field(measurement, tags, "count", point.count()));
        fields.add(new Field(measurement, tags, "sum", point.sum() / scale));
        fields.add(new Field(measurement, tags, "min", point.min() / scale));
        fields.add(new Field(measurement, tags, "max", point.max() / scale));
        org.HdrHistogram.Histogram hdr = point.toHdrHistogram();
        for (int i = 0; i < PERCENTILES.length; i++) {
            long value = Math.max(point.min(), Math.min(point.max(), hdr.getValueAtPercentile(PERCENTILES[i])));
            fields.add(new Field(measurement, tags, QUANTILE_FIELDS[i], value / scale));
        }
    }

    private static Map<String, String> with(Map<String, String> tags, String key, String value) {
        java.util.TreeMap<String, String> all = new java.util.TreeMap<>(tags);
        all.put(key, value);
        return all;
    }
}
