package io.streammetrics.prometheus;

import io.prometheus.metrics.config.ExporterProperties;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.common.EngineClock;
import io.streammetrics.common.Unit;
import io.streammetrics.metric.CounterFamily;
import io.streammetrics.metric.DistributionBuilder;
import io.streammetrics.metric.GaugeFamily;
import io.streammetrics.metric.HistogramFamily;
import io.streammetrics.metric.Timer;
import io.streammetrics.metric.TimerFamily;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static io.streammetrics.EngineTestSupport.valuesAroundBounds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link StoreTextWriter} gives exactly the samples (name, labels, value as parsed) and metadata lines that
 * client_java's writers give for the same engine through {@link PrometheusCollector}, in both text formats, with
 * and without created timestamps, for hand-picked and random registries; and a steady-state scrape allocates
 * (almost) nothing.
 */
class StoreTextWriterTest {
    /** A clock that never moves, so that summary windows and created timestamps are the same for both paths. */
    private static final EngineClock FIXED = new EngineClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long epochMillis() {
            return 1_764_000_000_123L;
        }
    };

    private static MetricsEngine engine() {
        // No JVM metrics: the tests compare two scrapes sample by sample, and the JVM's figures move between them.
        return MetricsEngine.builder().backPressure(BackPressure.BLOCK).clock(FIXED).jvmMetrics(false).build().start();
    }

    @Test
    void everyMetricTypeOddLabelsAndOverflowGiveClientJavasSamples() throws IOException {
        try (MetricsEngine engine = engine()) {
            ExampleMetrics.populate(engine);
            TimerFamily window = engine.timer("example_window").help("Latency over the last minute.")
                    .labelNames("stage").register();
            for (int i = 1; i <= 1000; i++) {
                window.labels("parse").record(i * 7_000L);
            }
            window.labels("idle");
            HistogramFamily nativeOnly = engine.histogram("example_native").help("Native only.").register();
            nativeOnly.labels().record(42);
            HistogramFamily custom = engine.histogram("example_custom").help("Custom \\ buckets\nhelp \"q\"")
                    .labelNames("a", "b").register();
            for (int i = 0; i < 500; i++) {
                custom.labels("x", "\\").record(i * 3L);
            }
            custom.labels("", "");
            // Bounds declared on the family: the store's counts, whether or not the exporter repeats them ...
            Timer declared = engine.timer("example_declared").help("Declared bounds.")
                    .classicUpperBounds(0.0001, 0.001, 0.0105, 0.1).register().labels();
            HistogramFamily repeated = engine.histogram("example_repeated").help("Repeated bounds.")
                    .classicUpperBounds(10, 100, 1000).register();
            // ... and exporter bounds that differ from the family's: mapped from the HDR buckets.
            HistogramFamily overridden = engine.histogram("example_overridden").help("Overridden bounds.")
                    .classicUpperBounds(10, 100, 1000).register();
            for (long v : new long[] {0, 1, 9, 10, 11, 99, 100, 101, 996, 999, 1000, 1003, 1004, 5000}) {
                repeated.labels().record(v);
                overridden.labels().record(v);
            }
            for (long nanos : new long[] {99_999, 100_000, 100_001, 1_000_000, 10_499_999, 10_500_000, 10_500_001,
                    100_000_000, 100_000_001, 2_000_000_000}) {
                declared.record(nanos);
            }
            GaugeFamily odd = engine.gauge("example_odd").help("Odd values.").labelNames("v").register();
            double[] values = {0.1, -0.0, 1e-300, Double.MIN_VALUE, Double.MAX_VALUE, -1.5e7, 1e7, 9_999_999,
                    0.001, 0.00099, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 123456.789, 2e23};
            for (int i = 0; i < values.length; i++) {
                odd.labels("v" + i).set(values[i]);
            }
            engine.gauge("example_empty").help("No series.").labelNames("x").register();
            engine.gauge("example_no_help").register().labels().set(3);
            engine.counter("example_fraction").help("Fractional.").register().labels().add(0.25);
            engine.close();

            Function<MetricsEngine, PrometheusCollector> config = e -> PrometheusCollector.builder(e)
                    .summary("example_window")
                    .histogramMode("example_native", HistogramMode.NATIVE)
                    .classicBuckets("example_custom", 0, 1, 2.5, 300, 1e9)
                    .classicBuckets("example_repeated", 10, 100, 1000)
                    .classicBuckets("example_overridden", 5, 50, 500, 5000)
                    .build();
            for (boolean created : new boolean[] {false, true}) {
                for (TextFormat format : TextFormat.values()) {
                    String store = assertSameSamples(engine, config, format, created, List.of());
                    assertTrue(store.contains("otel_metric_overflow=\"true\""), store);
                    assertTrue(store.contains(ExampleMetrics.NASTY.replace("\\", "\\\\").replace("\"", "\\\"")
                            .replace("\n", "\\n")), store);
                    assertTrue(store.contains("example_window_seconds{stage=\"idle\",quantile=\"0.5\"} NaN\n"), store);
                    assertTrue(store.contains("example_native_bucket{le=\"+Inf\"} 1\n"), store);
                    assertFalse(store.contains("example_empty"), store);
                    // 10,499,999 and 10,500,000 ns share an HDR bucket reaching above 0.0105 s: counted one
                    // bucket up (6 values are at most 0.0105 s), the documented placement error.
                    assertTrue(store.contains("example_declared_seconds_bucket{le=\"0.0105\"} 4\n"), store);
                    assertTrue(store.contains("example_repeated_bucket{le=\"100.0\"} 7\n"), store);
                    assertTrue(store.contains("example_overridden_bucket{le=\"50.0\"} 5\n"), store);
                    assertEquals(created, store.contains("example_requests_created{path=\"/a\"} 1764000000.123\n")
                            || store.contains("example_requests_created{path=\"/a\"} 1.764000000123E9\n"), store);
                }
            }
        }
    }

    @Test
    void nameFilterSelectsTheSameFamiliesAsTheHandler() throws IOException {
        try (MetricsEngine engine = engine()) {
            ExampleMetrics.populate(engine);
            engine.close();
            for (TextFormat format : TextFormat.values()) {
                String store = assertSameSamples(engine, PrometheusCollector::of, format, false,
                        List.of("example_requests_total", "example_latency_seconds_count", "example_payload"));
                assertTrue(store.contains("example_requests_total{path=\"/a\"} 10.0\n"), store);
                assertTrue(store.contains("example_latency_seconds_count{stage=\"parse\"} 1000\n"), store);
                assertFalse(store.contains("example_queue_depth"), store);
            }
        }
    }

    @Test
    void aFamilyWhoseExportedNameIsTakenIsLeftOutOfBothPaths() throws IOException {
        try (MetricsEngine engine = engine()) {
            engine.gauge("clash_seconds").help("Gauge first.").register().labels().set(1);
            engine.timer("clash").help("Timer second.").register().labels().record(5);
            engine.close();
            for (TextFormat format : TextFormat.values()) {
                String store = assertSameSamples(engine, PrometheusCollector::of, format, false, List.of());
                assertTrue(store.contains("clash_seconds 1.0\n"), store);
                assertFalse(store.contains("clash_seconds_count"), store);
            }
            // Counted per scrape on both paths.
            PrometheusCollector collector = PrometheusCollector.of(engine);
            StoreTextWriter writer = StoreTextWriter.builder(collector).build();
            writer.write(new ByteArrayOutputStream(), TextFormat.PROMETHEUS_TEXT);
            writer.write(new ByteArrayOutputStream(), TextFormat.OPENMETRICS);
            assertEquals(2, collector.skippedFamilies());
        }
    }

    /** Random registries: families of every type, label values drawn from nasty characters, random values. */
    @Test
    void randomRegistriesGiveClientJavasSamples() throws IOException {
        Random random = new Random(20261126L);
        String alphabet = "ab\\\"\n ü✓{}=,#";
        for (int round = 0; round < 25; round++) {
            try (MetricsEngine engine = engine()) {
                List<String> summaries = new ArrayList<>();
                List<String> natives = new ArrayList<>();
                Map<String, double[]> overrides = new HashMap<>();
                int families = 1 + random.nextInt(8);
                for (int f = 0; f < families; f++) {
                    String name = "fam_" + round + "_" + f;
                    int labelCount = random.nextInt(3);
                    String[] labelNames = new String[labelCount];
                    for (int l = 0; l < labelCount; l++) {
                        labelNames[l] = "l" + l;
                    }
                    int series = random.nextInt(6);
                    int limit = 1 + random.nextInt(4);
                    switch (random.nextInt(4)) {
                        case 0: {
                            var builder = engine.counter(name).help(randomText(random, alphabet));
                            if (random.nextBoolean()) {
                                builder.unit(Unit.BYTES);
                            }
                            CounterFamily family = builder.labelNames(labelNames).cardinalityLimit(limit).register();
                            for (int s = 0; s < series; s++) {
                                family.labels(randomLabels(random, alphabet, labelCount)).add(
                                        random.nextBoolean() ? random.nextInt(1000) : random.nextDouble() * 1e6);
                            }
                            break;
                        }
                        case 1: {
                            GaugeFamily family = engine.gauge(name).help(randomText(random, alphabet))
                                    .labelNames(labelNames).cardinalityLimit(limit).register();
                            for (int s = 0; s < series; s++) {
                                family.labels(randomLabels(random, alphabet, labelCount)).set(randomDouble(random));
                            }
                            break;
                        }
                        case 2: {
                            var builder = engine.histogram(name).help(randomText(random, alphabet))
                                    .labelNames(labelNames).cardinalityLimit(limit);
                            double[] bounds = declareBounds(random, builder, name, 0.5, overrides);
                            HistogramFamily family = builder.register();
                            if (random.nextInt(4) == 0) {
                                natives.add(name);
                            }
                            for (int s = 0; s < series; s++) {
                                var histogram = family.labels(randomLabels(random, alphabet, labelCount));
                                int values = random.nextInt(200);
                                for (int v = 0; v < values; v++) {
                                    histogram.record((long) Math.abs(random.nextGaussian() * Math.pow(10,
                                            random.nextInt(9))));
                                }
                                nearBounds(random, bounds, 1).forEach(histogram::record);
                            }
                            break;
                        }
                        default: {
                            var builder = engine.timer(name).help(randomText(random, alphabet))
                                    .labelNames(labelNames).cardinalityLimit(limit);
                            boolean summary = random.nextInt(3) == 0;
                            double[] bounds = declareBounds(random, builder, name, 1e-7,
                                    summary ? new HashMap<>() : overrides);
                            TimerFamily family = builder.register();
                            if (summary) {
                                summaries.add(name);
                            }
                            for (int s = 0; s < series; s++) {
                                var timer = family.labels(randomLabels(random, alphabet, labelCount));
                                int values = random.nextInt(200);
                                for (int v = 0; v < values; v++) {
                                    timer.record(1 + (long) (random.nextDouble() * 3e9));
                                }
                                nearBounds(random, bounds, 1e9).forEach(timer::record);
                            }
                            break;
                        }
                    }
                }
                engine.close();
                Function<MetricsEngine, PrometheusCollector> config = e -> {
                    PrometheusCollector.Builder builder = PrometheusCollector.builder(e);
                    summaries.forEach(builder::summary);
                    natives.forEach(name -> builder.histogramMode(name, HistogramMode.NATIVE));
                    overrides.forEach(builder::classicBuckets);
                    return builder.build();
                };
                boolean created = random.nextBoolean();
                for (TextFormat format : TextFormat.values()) {
                    assertSameSamples(engine, config, format, created, List.of());
                }
            }
        }
    }

    /**
     * Declares random bounds on half the families (the rest keep the defaults, null here) and, for a quarter of
     * them, has the exporter override them: with the family's own bounds (the store's counts still serve) or
     * with others (mapped from the HDR buckets).
     */
    private static double[] declareBounds(Random random, DistributionBuilder<?, ?> builder, String name, double first,
                                          Map<String, double[]> overrides) {
        SplittableRandom split = new SplittableRandom(random.nextLong());
        double[] bounds = random.nextBoolean() ? StoredClassicBucketsTest.randomBounds(split, first) : null;
        if (bounds != null) {
            builder.classicUpperBounds(bounds);
        }
        if (random.nextInt(4) == 0) {
            overrides.put(name, bounds != null && random.nextBoolean() ? bounds
                    : StoredClassicBucketsTest.randomBounds(split, first));
        }
        return bounds;
    }

    /** Values on, next to and around declared bounds (none for default bounds), a random few of them. */
    private static List<Long> nearBounds(Random random, double[] bounds, double scale) {
        if (bounds == null) {
            return List.of();
        }
        List<Long> values = valuesAroundBounds(bounds, scale, 3_600_000_000_000L, new SplittableRandom(random.nextLong()));
        List<Long> near = values.subList(0, values.size() - 2000);
        return near.subList(0, random.nextInt(near.size() + 1));
    }

    /** Overlapping scrapes render into buffers of their own: each gets the whole, uncorrupted exposition. */
    @Test
    void concurrentScrapesEachGetTheWholeExposition() throws Exception {
        try (MetricsEngine engine = engine()) {
            ExampleMetrics.populate(engine);
            engine.close();
            StoreTextWriter writer = StoreTextWriter.builder(PrometheusCollector.of(engine)).build();
            Map<TextFormat, String> expected = new EnumMap<>(TextFormat.class);
            for (TextFormat format : TextFormat.values()) {
                expected.put(format, render(writer, format));
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<String>> scrapes = new ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    TextFormat format = TextFormat.values()[i % 2];
                    scrapes.add(pool.submit(() -> render(writer, format)));
                }
                for (int i = 0; i < scrapes.size(); i++) {
                    assertEquals(expected.get(TextFormat.values()[i % 2]), scrapes.get(i).get(30, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static String render(StoreTextWriter writer, TextFormat format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(out, format);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aSteadyStateScrapeAllocatesAlmostNothing() throws IOException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported(), "this JVM cannot measure thread allocation");
        threads.setThreadAllocatedMemoryEnabled(true);
        // No JVM metrics: their callbacks (MXBean reads) allocate, and this measures the writer.
        try (MetricsEngine engine = MetricsEngine.builder().maxHistograms(1100).backPressure(BackPressure.BLOCK)
                .jvmMetrics(false).build().start()) {
            TimerFamily timers = engine.timer("alloc_latency").help("Latency.").labelNames("shard").register();
            CounterFamily counters = engine.counter("alloc_events").help("Events.").labelNames("shard").register();
            for (int s = 0; s < 1000; s++) {
                for (int v = 1; v <= 20; v++) {
                    timers.labels("s" + s).record(v * 1_234_567L);
                }
                counters.labels("s" + s).add(s);
            }
            StoreTextWriter writer = StoreTextWriter.builder(PrometheusCollector.of(engine)).build();
            ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 22);
            for (int i = 0; i < 50; i++) {
                out.reset();
                writer.write(out, i % 2 == 0 ? TextFormat.PROMETHEUS_TEXT : TextFormat.OPENMETRICS);
            }
            long threadId = Thread.currentThread().getId();
            int scrapes = 20;
            long before = threads.getThreadAllocatedBytes(threadId);
            for (int i = 0; i < scrapes; i++) {
                out.reset();
                writer.write(out, TextFormat.PROMETHEUS_TEXT);
            }
            long perScrape = (threads.getThreadAllocatedBytes(threadId) - before) / scrapes;
            System.out.printf("a scrape of %d bytes allocated %d bytes%n", out.size(), perScrape);
            // The scrape was real: 1,000 histograms and 1,000 counters.
            assertTrue(out.size() > 800_000, "rendered only " + out.size() + " bytes");
            // What is left is the engine's read-your-writes wait (an array of ring positions), not the rendering.
            assertTrue(perScrape < 1024, "a scrape allocated " + perScrape + " bytes");
        }
    }

    private static String[] randomLabels(Random random, String alphabet, int count) {
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
            values[i] = randomText(random, alphabet);
        }
        return values;
    }

    private static String randomText(Random random, String alphabet) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(6);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static double randomDouble(Random random) {
        switch (random.nextInt(5)) {
            case 0:
                return Double.longBitsToDouble(random.nextLong());
            case 1:
                return random.nextInt(2000) - 1000;
            case 2:
                return random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
            default:
                return random.nextDouble();
        }
    }

    /**
     * Renders {@code engine} both ways, each with a fresh collector from {@code config} (so that summary windows
     * start alike), and asserts the same samples and metadata; returns the store writer's output.
     */
    private static String assertSameSamples(MetricsEngine engine, Function<MetricsEngine, PrometheusCollector> config,
                                            TextFormat format, boolean created, List<String> names)
            throws IOException {
        ExpositionFormats formats = ExpositionFormats.init(
                ExporterProperties.builder().includeCreatedTimestamps(created).build());
        ExpositionFormatWriter reference = format == TextFormat.PROMETHEUS_TEXT
                ? formats.getPrometheusTextFormatWriter() : formats.getOpenMetricsTextFormatWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        reference.write(out, MetricsHandler.filter(config.apply(engine).collect(), names));
        String clientJava = out.toString(StandardCharsets.UTF_8);
        out.reset();
        StoreTextWriter.builder(config.apply(engine)).includeCreatedTimestamps(created).build()
                .write(out, format, names);
        String store = out.toString(StandardCharsets.UTF_8);
        String context = format + (created ? " with created timestamps" : "") + "\n--- client_java:\n" + clientJava
                + "\n--- store:\n" + store;
        Map<String, Double> expected = TextFormatParser.samples(clientJava);
        assertFalse(expected.isEmpty(), context);
        assertEquals(expected, TextFormatParser.samples(store), context);
        assertEquals(TextFormatParser.metadata(clientJava), TextFormatParser.metadata(store), context);
        assertEquals(format == TextFormat.OPENMETRICS, store.endsWith("# EOF\n"), context);
        return store;
    }
}
