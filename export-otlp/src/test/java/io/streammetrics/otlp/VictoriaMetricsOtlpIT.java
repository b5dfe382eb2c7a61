package io.streammetrics.otlp;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.resources.Resource;
import io.streammetrics.MetricsEngine;
import io.streammetrics.common.Unit;
import io.streammetrics.internal.exponential.ExponentialBucketMapping;
import io.streammetrics.internal.exponential.ExponentialScale;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.Timer;
import io.streammetrics.metric.TimerFamily;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.testing.LogUniform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pushes a counter, a gauge and a timer (explicit-bucket histogram) over OTLP/HTTP protobuf to a real
 * VictoriaMetrics 1.112 running with {@code -opentelemetry.usePrometheusNaming}, then finds the values through its
 * Prometheus query API under the names VictoriaMetrics gives them: {@code <name>_total} for the monotonic Sum,
 * the unit suffix for the gauge ({@code By} → {@code _bytes}), and {@code <name>_seconds_bucket/_sum/_count} for the
 * histogram.
 */
class VictoriaMetricsOtlpIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern VMRANGE_SAMPLE = Pattern.compile(
            "\"vmrange\":\"([^.\"]+(?:\\.[0-9]+)?e[-+][0-9]+)\\.\\.\\.([^\"]+)\"\\},\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]");

    @TempDir
    Path tmp;
    private final MetricsEngine engine = MetricsEngine.builder().build().start();
    private VictoriaMetricsServer vm;

    @AfterEach
    void close() throws InterruptedException {
        engine.close();
        if (vm != null) {
            vm.close();
        }
    }

    @Test
    void counterGaugeAndHistogramArriveUnderPrometheusNames() throws Exception {
        vm = new VictoriaMetricsServer(tmp.resolve("vm-data"));
        vm.start();
        Counter processed = engine.counter("otlpit_records_processed_total").help("Records processed.")
                .labelNames("stage").register().labels("parse");
        engine.gauge("otlpit_queue_size").unit(Unit.BYTES).register().labels().set(2048);
        Timer latency = engine.timer("otlpit_latency").register().labels();
        processed.add(42);
        latency.record(3_000_000);     // 3 ms   -> le 0.005
        latency.record(3_000_000);
        latency.record(200_000_000);   // 200 ms -> le 0.25
        EngineWait.histogramCount(engine, "otlpit_latency", 3);
        EngineWait.counter(engine, "otlpit_records_processed", 42, "parse");
        try (OtlpExporter otlp = OtlpExporter.builder(engine).environment(Map.of()).endpoint(vm.otlpEndpoint())
                .serviceName("otlp-it").interval(Duration.ofHours(1)).build()) {
            assertTrue(otlp.flush(), "VictoriaMetrics accepted the export");
        }

        expect("otlpit_records_processed_total{stage=\"parse\"}", 42);
        expect("otlpit_queue_size_bytes", 2048);
        expect("otlpit_latency_seconds_count", 3);
        expect("otlpit_latency_seconds_sum", 0.206);
        expect("otlpit_latency_seconds_bucket{le=\"0.005\"}", 2);
        expect("otlpit_latency_seconds_bucket{le=\"0.25\"}", 3);
        expect("otlpit_latency_seconds_bucket{le=\"+Inf\"}", 3);
        // The resource's service.name becomes a label.
        expect("otlpit_records_processed_total{service_name=\"otlp-it\"}", 42);
        assertEquals(List.of("otlpit_latency_seconds_bucket", "otlpit_latency_seconds_count",
                "otlpit_latency_seconds_sum", "otlpit_queue_size_bytes", "otlpit_records_processed_total"),
                vm.names("{__name__=~\"otlpit.*\"}"));
    }

    /**
     * A timer family configured as a base-2 exponential histogram with room for scale 7
     * ({@link HistogramFormat#exponential(int, int)} with 1,000 buckets: 1 to 100 ms take 851 there) and pushed once
     * (cumulative). Observed with VictoriaMetrics 1.112 and {@code -opentelemetry.usePrometheusNaming}:
     * it ingests the OTLP Exponential Histogram and stores exactly three kinds of series, no {@code le} buckets:
     * <ul>
     *     <li>{@code <name>_seconds_count} and {@code <name>_seconds_sum}, as for explicit buckets;</li>
     *     <li>{@code <name>_seconds_bucket{vmrange="<lower>...<upper>"}}, one series per <em>non-empty</em>
     *     exponential bucket, holding that bucket's own count (not cumulative); the range is the bucket's exact
     *     boundaries {@code 2^(i/128)...2^((i+1)/128)} in seconds, printed with 4 significant digits (for 1 ms:
     *     {@code 9.979e-04...1.003e-03}); empty buckets get no series.</li>
     * </ul>
     * So {@code histogram_quantile(q, sum(...) by (vmrange))} works on it. The test pushes only once, so it takes the
     * quantile of the instant bucket counts rather than of {@code rate(...)} (which needs two samples).
     */
    @Test
    void exponentialHistogramArrivesAsVmrangeBuckets() throws Exception {
        vm = new VictoriaMetricsServer(tmp.resolve("vm-data"));
        vm.start();
        Timer latency = engine.timer("otlpexp_latency").register().labels();
        for (int i = 1; i <= 100; i++) {
            latency.record(i * 1_000_000L); // 1 ms .. 100 ms, sum 5.05 s
        }
        EngineWait.histogramCount(engine, "otlpexp_latency", 100);
        EngineMetricProducer producer = EngineMetricProducer.builder(engine)
                .histogramFormat("otlpexp_latency", HistogramFormat.exponential(1_000, 20)).build();
        ExponentialHistogramPointData point = Collected.metric(producer.produce(Resource.empty()), "otlpexp_latency")
                .getExponentialHistogramData().getPoints().iterator().next();
        assertEquals(7, point.getScale());
        assertEquals(0, point.getZeroCount());
        List<double[]> nonEmpty = new ArrayList<>(); // {lower, upper, count} of each non-empty exported bucket
        List<Long> counts = point.getPositiveBuckets().getBucketCounts();
        int offset = point.getPositiveBuckets().getOffset();
        for (int b = 0; b < counts.size(); b++) {
            if (counts.get(b) > 0) {
                nonEmpty.add(new double[] {ExponentialScale.lowerBound(offset + b, 7),
                        ExponentialScale.lowerBound(offset + b + 1, 7), counts.get(b)});
            }
        }
        assertEquals(100, nonEmpty.size(), "scale 7 puts each of 1..100 ms in a bucket of its own");

        try (OtlpExporter otlp = OtlpExporter.builder(producer).environment(Map.of()).endpoint(vm.otlpEndpoint())
                .serviceName("otlp-it").interval(Duration.ofHours(1)).build()) {
            assertTrue(otlp.flush(), "VictoriaMetrics accepted the export");
        }

        expect("otlpexp_latency_seconds_count", 100);
        expect("otlpexp_latency_seconds_sum", 5.05);
        expect("sum(otlpexp_latency_seconds_bucket)", 100);
        expect("count(otlpexp_latency_seconds_bucket)", nonEmpty.size());
        assertEquals(List.of("otlpexp_latency_seconds_bucket", "otlpexp_latency_seconds_count",
                "otlpexp_latency_seconds_sum"), vm.names("{__name__=~\"otlpexp.*\"}"));
        // No Prometheus-style le buckets: every bucket series is a vmrange one.
        assertEquals(List.of(), vm.query("otlpexp_latency_seconds_bucket{vmrange=\"\"}"));
        assertEquals(List.of(), vm.query("otlpexp_latency_seconds_bucket{le!=\"\"}"));

        // Each vmrange is one exported bucket's boundaries (to VictoriaMetrics' 4 significant digits), with its count.
        String body = vm.raw("/api/v1/query?query=" + URLEncoder.encode("otlpexp_latency_seconds_bucket",
                StandardCharsets.UTF_8));
        Matcher m = VMRANGE_SAMPLE.matcher(body);
        List<double[]> stored = new ArrayList<>();
        while (m.find()) {
            stored.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)),
                    Double.parseDouble(m.group(3))});
        }
        stored.sort(Comparator.comparingDouble(r -> r[0]));
        assertEquals(nonEmpty.size(), stored.size(), body);
        for (int i = 0; i < stored.size(); i++) {
            double[] want = nonEmpty.get(i);
            double[] got = stored.get(i);
            assertEquals(want[0], got[0], want[0] * 5e-4, "lower bound of bucket " + i);
            assertEquals(want[1], got[1], want[1] * 5e-4, "upper bound of bucket " + i);
            assertEquals(want[2], got[2], "count of bucket " + i);
        }
        assertEquals("9.979e-04", String.format(Locale.ROOT, "%.3e", stored.get(0)[0]));
        assertEquals("1.003e-03", String.format(Locale.ROOT, "%.3e", stored.get(0)[1]));

        // VictoriaMetrics' p99 from the vmrange buckets vs the engine's HDR p99: within the exporter's stated bound.
        HistogramPoint hdrPoint = (HistogramPoint) engine.snapshot().family("otlpexp_latency").points().get(0);
        double hdrP99 = hdrPoint.toHdrHistogram().getValueAtPercentile(99) / 1e9;
        double bound = new ExponentialBucketMapping(engine.histogramLayout(), 1e9, 20, -10, 0).relativeError(7);
        String quantile = "histogram_quantile(0.99, sum(otlpexp_latency_seconds_bucket) by (vmrange))";
        List<Double> p99 = vm.query(quantile);
        assertEquals(1, p99.size(), quantile);
        double error = Math.abs(p99.get(0) - hdrP99) / hdrP99;
        assertTrue(error <= bound, quantile + " = " + p99.get(0) + ", HDR p99 " + hdrP99 + ", relative error "
                + error + " > bound " + bound);
        // And it lies in the exponential bucket holding the 99th value (99 ms).
        double[] bucket99 = nonEmpty.get(98);
        assertTrue(p99.get(0) >= bucket99[0] * (1 - 5e-4) && p99.get(0) <= bucket99[1] * (1 + 5e-4),
                quantile + " = " + p99.get(0) + " outside " + Arrays.toString(bucket99));
    }

    /**
     * The default exponential format ({@link HistogramFormat#exponential()}, at most 160 buckets) for timers over six
     * decades: VictoriaMetrics stores one {@code vmrange} series per non-empty exported bucket, so at most 160 per
     * histogram, and its {@code histogram_quantile} over them is within the stated bound of the exact quantile (plus
     * 0.1% for the 4 significant digits it prints bucket bounds with).
     */
    @Test
    void sixDecadesArriveAsAtMost160VmrangeBuckets() throws Exception {
        vm = new VictoriaMetricsServer(tmp.resolve("vm-data"));
        vm.start();
        TimerFamily latency = engine.timer("otlpsix_latency").labelNames("shard").register();
        SplittableRandom random = new SplittableRandom(31);
        long[][] values = new long[3][];
        for (int s = 0; s < values.length; s++) {
            values[s] = LogUniform.sorted(random, 20_000, 1_000, 1e6);
            latency.labels("s" + s).recordBatch(values[s], 0, values[s].length);
            EngineWait.histogramCount(engine, "otlpsix_latency", values[s].length, "s" + s);
        }
        EngineMetricProducer producer = EngineMetricProducer.builder(engine)
                .defaultHistogramFormat(HistogramFormat.exponential()).build();
        try (OtlpExporter otlp = OtlpExporter.builder(producer).environment(Map.of()).endpoint(vm.otlpEndpoint())
                .serviceName("otlp-six").interval(Duration.ofHours(1)).build()) {
            assertTrue(otlp.flush(), "VictoriaMetrics accepted the export");
        }
        ExponentialBucketMapping mapping = new ExponentialBucketMapping(engine.histogramLayout(), 1e9, 20, -10, 0);
        // The scale each series was sent at, to know its bound.
        Map<String, Integer> scales = new HashMap<>();
        for (ExponentialHistogramPointData point : Collected.metric(producer.produce(Resource.empty()),
                "otlpsix_latency").getExponentialHistogramData().getPoints()) {
            scales.put(point.getAttributes().get(AttributeKey.stringKey("shard")),
                    point.getScale());
        }
        for (int s = 0; s < values.length; s++) {
            String series = "otlpsix_latency_seconds_bucket{shard=\"s" + s + "\"}";
            expect("sum(" + series + ")", values[s].length);
            List<Double> stored = vm.query("count(" + series + ")");
            assertEquals(1, stored.size(), series);
            assertTrue(stored.get(0) <= 160, series + ": " + stored.get(0) + " vmrange buckets");
            int scale = scales.get("s" + s);
            assertTrue(scale == 2 || scale == 3, "six decades: scale " + scale);
            double bound = mapping.relativeError(scale) + 1e-3;
            for (double q : new double[] {0.01, 0.1, 0.5, 0.9, 0.99}) {
                List<Double> answer = vm.query("histogram_quantile(" + q + ", sum(" + series + ") by (vmrange))");
                assertEquals(1, answer.size(), series + " q=" + q);
                double exact = values[s][(int) Math.ceil(q * values[s].length) - 1] / 1e9;
                double error = Math.abs(answer.get(0) - exact) / exact;
                assertTrue(error <= bound, series + " q=" + q + ": VictoriaMetrics " + answer.get(0) + ", exact "
                        + exact + ", relative error " + error + " > " + bound);
            }
        }
    }

    private void expect(String promql, double value) {
        Poll.until(WAIT, () -> {
            List<Double> values = vm.query(promql);
            return values.size() == 1 && Math.abs(values.get(0) - value) < 1e-9;
        }, () -> promql + " = " + value + "; got " + vm.query(promql) + "; series named "
                + vm.names("{__name__=~\"otlpit.*\"}") + "; " + vm.raw("/api/v1/series?match[]=%7B__name__%3D~%22otlpit.*%22%7D"));
    }
}
