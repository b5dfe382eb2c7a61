package io.streammetrics.benchmarks;

import io.streammetrics.MetricsEngine;
import io.streammetrics.alert.AlertEvaluator;
import io.streammetrics.console.Console;
import io.streammetrics.dashboard.Dashboard;
import io.streammetrics.health.HealthMonitor;
import io.streammetrics.json.JsonReader;
import io.streammetrics.prometheus.PrometheusHttpServer;
import io.streammetrics.operator.OperatorApi;
import io.streammetrics.stream.StreamMetrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * What open consoles cost the process that serves them: CPU of the whole process (minus the simulated pages' own
 * threads) with no page open and with N pages open, each doing what {@code console.js} does (a full load, then one
 * {@code api/update?since=} per second, and {@code /api/alerts} every 30 s), while a four-stage pipeline records
 * 20,000 records/s and the dashboard refreshes every second; and the bytes of one page's update. Not a JMH
 * benchmark: process CPU time over wall-clock time. The pages run in a second JVM, so that their requests, parsing
 * and garbage are not counted.
 *
 * <pre>java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     io.streammetrics.benchmarks.ConsoleServingCost [seconds per phase, default 30] [pages, default 10] \
 *     [rounds, default 3]</pre>
 */
public final class ConsoleServingCost {
    private static final int RATE = 20_000;

    private ConsoleServingCost() {
    }

    /** Arguments: seconds per phase (default 30), pages (default 10), rounds (default 3). */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("pages")) {
            pages(args[1], Integer.parseInt(args[2]));
            return;
        }
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 30;
        int pages = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        try (MetricsEngine engine = MetricsEngine.builder().build().start();
             AlertEvaluator evaluator = AlertEvaluator.builder().engine(engine)
                     .ruleGroup(StreamMetrics.defaultRules().get(0)).build().start();
             HealthMonitor health = HealthMonitor.builder().alerts(evaluator::activeAlerts).build();
             Dashboard dashboard = Dashboard.builder(engine).window(Duration.ofSeconds(5))
                     .alerts(evaluator::activeAlerts).health(health::report).build().start();
             Console console = Console.builder(dashboard).build();
             PrometheusHttpServer server = PrometheusHttpServer.builder(engine).port(0).build()) {
            OperatorApi.builder(evaluator).health(health).dashboard(dashboard).build().mount(server);
            console.mount(server);
            Thread pipeline = new Thread(() -> pipeline(engine), "pipeline");
            pipeline.setDaemon(true);
            pipeline.start();
            String base = "http://127.0.0.1:" + server.port();
            System.out.printf("%d s per phase, pipeline %,d records/s over 4 stages, dashboard every 1 s%n", seconds, RATE);
            Thread.sleep(10_000);       // JIT and the dashboard's windows settle
            // Alternate the phases (no page, pages open) so that a change in the shared machine's load hits both.
            // The pages run in another JVM: their requests, parsing and garbage are not this process's.
            double idleSum = 0;
            double servedSum = 0;
            for (int round = 1; round <= rounds; round++) {
                double idle = measure(seconds);
                Process browser = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                        System.getProperty("java.class.path"), ConsoleServingCost.class.getName(), "pages", base,
                        String.valueOf(pages)).inheritIO().start();
                Thread.sleep(5_000);
                Map<String, Long> before = threadCpu();
                double served = measure(seconds);
                if (round == rounds) {
                    Map<String, Long> after = threadCpu();
                    System.out.println("threads of this process while the pages were open, CPU ms:");
                    after.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                            .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                            .forEach(e -> System.out.printf("  %-40s %8.1f%n", e.getKey(), e.getValue() / 1e6));
                }
                browser.destroy();
                browser.waitFor();
                System.out.printf("round %d: no page open %.2f %%, %d pages open %.2f %% of a core: cost %.2f %%%n",
                        round, idle, pages, served, served - idle);
                idleSum += idle;
                servedSum += served;
            }
            System.out.printf("mean of %d rounds: no page %.2f %%, %d pages %.2f %% of a core: %d pages cost %.2f %% "
                    + "of a core%n", rounds, idleSum / rounds, pages, servedSum / rounds, pages,
                    (servedSum - idleSum) / rounds);
            Page probe = new Page(base, 0);
            probe.open = true;
            probe.thread.start();
            Thread.sleep(12_000);
            probe.thread.interrupt();
            probe.thread.join();
            System.out.printf("per page and update: %,d bytes (api/update, mean of %d); api/alerts every 30 s: %,d bytes%n",
                    probe.updateBytes.get() / Math.max(1, probe.updates.get()), probe.updates.get(),
                    probe.alertBytes.get() / Math.max(1, probe.alertFetches.get()));
        }
    }

    /** The pages' process: {@code pages BASE N} runs N pages against BASE until killed. */
    private static void pages(String base, int count) throws InterruptedException {
        List<Page> open = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Page page = new Page(base, i);
            page.open = true;
            open.add(page);
            page.thread.start();
        }
        for (Page page : open) {
            page.thread.join();
        }
    }

    /** CPU nanoseconds by thread name (threads of one name summed). */
    private static Map<String, Long> threadCpu() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> byName = new java.util.HashMap<>();
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                byName.merge(info.getThreadName().replaceAll("-\\d+$", "-N"), Math.max(0, cpu), Long::sum);
            }
        }
        return byName;
    }

    /** Process CPU over {@code seconds}, as a share of one core. */
    private static double measure(long seconds) throws InterruptedException {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long wallBefore = System.nanoTime();
        Thread.sleep(seconds * 1000);
        return 100.0 * (os.getProcessCpuTime() - cpuBefore) / (System.nanoTime() - wallBefore);
    }

    /** Four stages, as the quick-start's: each record counted, sized and timed in every stage. */
    private static void pipeline(MetricsEngine engine) {
        List<StreamMetrics> stages = new ArrayList<>();
        for (String stage : List.of("source", "parse", "enrich", "sink")) {
            stages.add(StreamMetrics.builder(engine).pipeline("orders").stage(stage).build());
        }
        stages.get(1).errorType("malformed");
        long start = System.nanoTime();
        for (long n = 1; ; n++) {
            for (StreamMetrics stage : stages) {
                stage.recordProcessed(500);
                stage.recordProcessingNanos(1_000 + (n * 7919 % 100_000));
            }
            stages.get(3).recordEndToEndFromEpochMillis(System.currentTimeMillis() - 3);
            if ((n & 63) == 0) {
                long ahead = start + n * 1_000_000_000L / RATE - System.nanoTime();
                if (ahead > 0) {
                    LockSupport.parkNanos(ahead);
                }
            }
        }
    }

    /** One open console: what console.js requests, on one thread. */
    private static final class Page {
        final Thread thread;
        final AtomicLong updates = new AtomicLong();
        final AtomicLong updateBytes = new AtomicLong();
        final AtomicLong alertFetches = new AtomicLong();
        final AtomicLong alertBytes = new AtomicLong();
        volatile boolean open;
        private final String base;

        Page(String base, int index) {
            this.base = base;
            this.thread = new Thread(this::run, "page-" + index);
            thread.setDaemon(true);
        }

        void resetCounts() {
            updates.set(0);
            updateBytes.set(0);
            alertFetches.set(0);
            alertBytes.set(0);
        }

        private void run() {
            long seq = -1;
            long next = System.nanoTime();
            long lastAlerts = 0;
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    if (!open) {
                        seq = -1;       // a page opened again loads the whole history, as a new page does
                        Thread.sleep(100);
                        next = System.nanoTime();
                        continue;
                    }
                    byte[] body = get(base + "/console/api/update?since=" + seq);
                    Map<?, ?> shared = (Map<?, ?>) ((Map<?, ?>) JsonReader.parse(new String(body,
                            java.nio.charset.StandardCharsets.UTF_8))).get("shared");
                    if (seq >= 0) {
                        updates.incrementAndGet();
                        updateBytes.addAndGet(body.length);
                    }
                    seq = ((Number) shared.get("seq")).longValue();
                    if (System.nanoTime() - lastAlerts > 30_000_000_000L) {
                        lastAlerts = System.nanoTime();
                        alertBytes.addAndGet(get(base + "/api/alerts").length);
                        alertFetches.incrementAndGet();
                    }
                    next += 1_000_000_000L;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            } catch (InterruptedException e) {
                // done
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private static byte[] get(String url) throws IOException {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            try (InputStream in = connection.getInputStream()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                return out.toByteArray();
            }
        }
    }
}
