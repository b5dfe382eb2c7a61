package io.streammetrics.examples;

import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.CounterFamily;
import io.streammetrics.metric.Gauge;
import io.streammetrics.metric.Timer;
import io.streammetrics.prometheus.PrometheusHttpServer;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.FamilySnapshot;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.snapshot.SeriesPoint;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A synthetic two-stage stream pipeline (parse, then transform) instrumented with streammetrics, printing a live
 * summary every second: throughput, p99 latency, error ratio, and the engine's own losses.
 *
 * <p>Serves Prometheus metrics on {@code http://127.0.0.1:9464/metrics}. Options: {@code --duration 60s} (default:
 * until Ctrl-C), {@code --port N}, {@code --bind ADDRESS}, {@code --help}. OTLP push and alerting join this
 * quick-start as their modules land.
 */
public final class QuickStart {
    private static final long RECORDS_PER_SECOND = 200_000;
    private QuickStart() {
    }

    public static void main(String[] args) throws Exception {
        Duration duration = null;
        int port = 9464;
        String bind = "127.0.0.1";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--duration":
                    duration = parseDuration(args[++i]);
                    break;
                case "--port":
                    port = Integer.parseInt(args[++i]);
                    break;
                case "--bind":
                    bind = args[++i];
                    break;
                case "--help":
                case "-h":
                    System.out.println("usage: java -jar streammetrics-examples.jar [--duration 60s] [--port 9464]"
                            + " [--bind 127.0.0.1]\n  serves Prometheus metrics on http://BIND:PORT/metrics");
                    return;
                default:
                    System.err.println("unknown option " + args[i] + " (try --help)");
                    System.exit(2);
            }
        }
        run(duration, port, bind, System.out::println);
    }

    /** Parses durations such as {@code 500ms}, {@code 60s}, {@code 2m}. */
    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase();
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        if (t.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        throw new IllegalArgumentException("invalid duration '" + text + "': use e.g. 500ms, 60s or 2m");
    }

    /**
     * Runs the pipeline for {@code duration} (null: until interrupted), serving {@code /metrics} on
     * {@code bind:port} (port 0: any free port) and printing one summary line per second.
     */
    static void run(Duration duration, int port, String bind, java.util.function.Consumer<String> out)
            throws InterruptedException, java.io.IOException {
        MetricsEngine engine = MetricsEngine.builder().build().start();
        PrometheusHttpServer server = PrometheusHttpServer.builder(engine).bindAddress(bind).port(port).build();
        out.accept("serving " + server.scheme() + "://" + bind + ":" + server.port() + PrometheusHttpServer.METRICS_PATH);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread hook = new Thread(() -> running.set(false), "quickstart-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        CounterFamily processed = engine.counter("stream_records_processed_total").help("Records processed.")
                .labelNames("pipeline", "stage").register();
        CounterFamily errors = engine.counter("stream_errors_total").help("Records that failed.")
                .labelNames("pipeline", "stage", "error_type").register();
        Timer parseLatency = engine.timer("stream_processing_latency").help("Processing time per record.")
                .labelNames("pipeline", "stage").register().labels("demo", "parse");
        Timer transformLatency = engine.timer("stream_processing_latency").labelNames("pipeline", "stage")
                .register().labels("demo", "transform");
        Gauge queueSize = engine.gauge("stream_queue_size").help("Records waiting between stages.")
                .labelNames("pipeline", "stage").register().labels("demo", "transform");

        BlockingQueue<long[]> queue = new ArrayBlockingQueue<>(10_000);
        Counter parsed = processed.labels("demo", "parse");
        Counter transformed = processed.labels("demo", "transform");
        Counter parseErrors = errors.labels("demo", "parse", "malformed");

        Thread parser = new Thread(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long started = System.nanoTime();
            long produced = 0;
            while (running.get()) {
                if (++produced % 1000 == 0) {
                    // Hold a realistic rate instead of burning both cores of a small machine.
                    long due = started + produced * 1_000_000_000L / RECORDS_PER_SECOND;
                    long ahead = due - System.nanoTime();
                    if (ahead > 0) {
                        LockSupport.parkNanos(ahead);
                    }
                }
                long start = parseLatency.start();
                long[] record = {random.nextLong(), System.nanoTime()};
                busyWork(200 + random.nextInt(400));
                if (random.nextInt(1000) == 0) {
                    parseErrors.increment();
                } else if (queue.offer(record)) {
                    parsed.increment();
                }
                parseLatency.recordSince(start);
            }
        }, "stage-parse");
        Thread transformer = new Thread(() -> {
            while (running.get() || !queue.isEmpty()) {
                try {
                    long[] record = queue.poll(10, TimeUnit.MILLISECONDS);
                    if (record == null) {
                        continue;
                    }
                    long start = transformLatency.start();
                    busyWork(300);
                    transformed.increment();
                    transformLatency.recordSince(start);
                    queueSize.set(queue.size());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "stage-transform");
        parser.start();
        transformer.start();

        long end = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        MetricsSnapshot previous = engine.snapshot();
        while (running.get() && System.nanoTime() < end) {
            Thread.sleep(Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            MetricsSnapshot current = engine.snapshot();
            out.accept(summary(previous, current));
            previous = current;
        }
        running.set(false);
        parser.join();
        transformer.join();
        server.close();
        engine.close();
        out.accept("final: " + summary(null, engine.snapshot()));
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // Ctrl-C: the hook is running, nothing to remove.
        }
    }

    static String summary(MetricsSnapshot previous, MetricsSnapshot current) {
        double seconds = previous == null ? 0 : (current.timestampMillis() - previous.timestampMillis()) / 1000.0;
        double records = total(current, "stream_records_processed", "transform");
        double rate = previous == null || seconds <= 0 ? 0
                : (records - total(previous, "stream_records_processed", "transform")) / seconds;
        double errorCount = total(current, "stream_errors", null);
        double parsedCount = total(current, "stream_records_processed", "parse");
        HistogramPoint parse = (HistogramPoint) current.family("stream_processing_latency").point("demo", "parse");
        double p99Micros = parse == null || parse.count() == 0 ? 0
                : parse.toHdrHistogram().getValueAtPercentile(99) / 1000.0;
        double dropped = total(current, "streammetrics_events_dropped", null);
        return String.format("records=%.0f rate=%.0f/s parse_p99=%.1fus error_ratio=%.4f dropped=%.0f",
                records, rate, p99Micros, parsedCount + errorCount == 0 ? 0 : errorCount / (parsedCount + errorCount), dropped);
    }

    private static double total(MetricsSnapshot snapshot, String family, String stage) {
        FamilySnapshot f = snapshot.family(family);
        double sum = 0;
        if (f == null) {
            return 0;
        }
        int stageIndex = f.labelNames().indexOf("stage");
        for (SeriesPoint point : f.points()) {
            if (stage == null || (stageIndex >= 0 && stage.equals(point.labelValues().get(stageIndex)))) {
                sum += ((CounterPoint) point).value();
            }
        }
        return sum;
    }

    private static void busyWork(int iterations) {
        long x = 0;
        for (int i = 0; i < iterations; i++) {
            x += i * 31L;
        }
        if (x == 42) {
            System.out.print("");
        }
    }
}
