package io.streammetrics.examples;

import io.streammetrics.MetricsEngine;
import io.streammetrics.alert.AlertEvaluator;
import io.streammetrics.alert.AlertNotifier;
import io.streammetrics.alert.config.RuleFile;
import io.streammetrics.console.Console;
import io.streammetrics.dashboard.Dashboard;
import io.streammetrics.health.EngineCheck;
import io.streammetrics.health.HealthMonitor;
import io.streammetrics.influx.InfluxExporter;
import io.streammetrics.otlp.OtlpExporter;
import io.streammetrics.prometheus.PrometheusHttpServer;
import io.streammetrics.operator.OperatorApi;
import io.streammetrics.remotewrite.RemoteWriteExporter;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.FamilySnapshot;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.snapshot.SeriesPoint;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One run of the quick-start: the engine, the {@link SyntheticPipeline}, the alert evaluator with its rules, health,
 * the dashboard, {@code /metrics}, the operator API and the live console on one HTTP server, OTLP push when the environment asks for
 * it, and the {@link LiveSummary} printed every second. It runs until {@link #close()}, which a test calls when it is
 * done with the server and the quick-start's shutdown hook calls on Ctrl-C.
 */
final class QuickStartRun implements AutoCloseable {
    /** How far back the live summary and {@code /api/dashboard} look. */
    static final Duration WINDOW = Duration.ofSeconds(5);
    /** How often --remote-write and --influx push: often enough to watch the run in the database. */
    static final Duration PUSH_INTERVAL = Duration.ofSeconds(5);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Consumer<String> out;
    private final MetricsEngine engine;
    private final PrometheusHttpServer server;
    private final OtlpExporter otlp;
    private final RemoteWriteExporter remoteWrite;
    private final InfluxExporter influx;
    private SyntheticPipeline pipeline;
    private boolean closing;

    private QuickStartRun(QuickStartOptions options, Map<String, String> environment,
                          Consumer<String> out) throws IOException {
        this.out = out;
        this.engine = MetricsEngine.builder().build().start();
        resources.push(engine);
        try {
            LiveSummary summary = new LiveSummary(out);
            AlertEvaluator.Builder rules = AlertEvaluator.builder().engine(engine)
                    .notifier(AlertNotifier.listener("console", summary::alert));
            if (options.rules() == null) {
                RuleFile.loadResource(QuickStart.class, QuickStart.RULES_RESOURCE).forEach(rules::ruleGroup);
            } else {
                rules.ruleFile(options.rules());     // loaded at build(), checked against the evaluation interval
            }
            AlertEvaluator evaluator = rules.build();
            resources.push(evaluator);
            HealthMonitor health = HealthMonitor.builder().alerts(evaluator::activeAlerts)
                    .register("metrics-engine", EngineCheck.of(engine)).build();
            resources.push(health);
            Dashboard dashboard = Dashboard.builder(engine).window(WINDOW).alerts(evaluator::activeAlerts)
                    .health(health::report).build();
            resources.push(dashboard);
            PrometheusHttpServer.Builder serverBuilder = PrometheusHttpServer.builder(engine)
                    .bindAddress(options.bind()).port(options.port());
            if (options.basicAuth() != null) {
                serverBuilder.basicAuth(options.basicAuth().user(), options.basicAuth().password());
            }
            if (options.bearerToken() != null) {
                serverBuilder.bearerToken(options.bearerToken());
            }
            this.server = serverBuilder.build();
            resources.push(server);
            OperatorApi.builder(evaluator).health(health).dashboard(dashboard).build().mount(server);
            Console console = Console.builder(dashboard).build();
            resources.push(console);
            console.mount(server);
            this.otlp = otlp(environment);
            if (otlp != null) {
                resources.push(otlp);
            }
            this.remoteWrite = options.remoteWrite() == null ? null : RemoteWriteExporter.builder(engine)
                    .endpoint(options.remoteWrite()).externalLabel("job", "streammetrics-quickstart")
                    .interval(PUSH_INTERVAL).build();
            if (remoteWrite != null) {
                resources.push(remoteWrite);
            }
            this.influx = options.influx() == null ? null : influx(options.influx(), environment);
            if (influx != null) {
                resources.push(influx);
            }
            this.pipeline = new SyntheticPipeline(engine, options.rate(), options.trouble());
            resources.push(pipeline::stop);
            ScheduledExecutorService printer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "quickstart-summary");
                thread.setDaemon(true);
                return thread;
            });
            resources.push(printer::shutdownNow);
            evaluator.start();
            pipeline.start();
            // The printer refreshes the dashboard itself: one snapshot a second serves both.
            printer.scheduleAtFixedRate(() -> summary.print(dashboard.refresh()), 1, 1, TimeUnit.SECONDS);
        } catch (IOException | RuntimeException e) {
            closeResources();
            throw e;
        }
    }

    /**
     * Starts the quick-start.
     *
     * @throws IOException if the server cannot listen on the address
     * @throws io.streammetrics.alert.config.RuleFileException for a bad rule file
     * @throws IllegalArgumentException for an invalid {@code OTEL_*} variable or a bad bind address
     */
    static QuickStartRun start(QuickStartOptions options, Map<String, String> environment,
                               Consumer<String> out) throws IOException {
        QuickStartRun run = new QuickStartRun(options, environment, out);
        String base = run.server.scheme() + "://" + options.bind() + ":" + run.server.port();
        out.accept("serving " + base + PrometheusHttpServer.METRICS_PATH + " and " + base
                + OperatorApi.PREFIX + "{health,alerts,silences,dashboard}");
        out.accept("rules: " + (options.rules() == null ? "built-in " + QuickStart.RULES_RESOURCE : options.rules())
                + "; trouble (latency spike, error burst) at " + options.trouble().start().toSeconds() + " s for "
                + options.trouble().length().toSeconds() + " s"
                + (run.otlp == null ? "" : "; pushing OTLP to " + run.otlp.endpoint())
                + (run.remoteWrite == null ? "" : "; remote write to " + run.remoteWrite.endpoint())
                + (run.influx == null ? "" : "; line protocol to " + run.influx.endpoint()));
        out.accept("console: " + base + Console.PATH + " (live charts, latency heatmaps, alerts, health"
                + (options.basicAuth() == null ? ")"
                : "; the browser asks for user '" + options.basicAuth().user() + "' and the password given)"));
        if (options.basicAuth() == null && options.bearerToken() == null) {
            out.accept("operator API writes (acknowledge, silence) are off: start with --bearer-token TOKEN or "
                    + "--basic-auth USER:PASSWORD to allow them");
        }
        if (options.bearerToken() != null) {
            out.accept("every request needs the token, e.g. curl -H 'Authorization: Bearer " + options.bearerToken()
                    + "' " + base + PrometheusHttpServer.METRICS_PATH + "; acknowledge with curl -X POST -H "
                    + "'Authorization: Bearer " + options.bearerToken() + "' -H 'Content-Type: application/json' -d "
                    + "'{\"by\":\"you\"}' " + base + OperatorApi.PREFIX + "alerts/ALERT_ID/ack");
        }
        return run;
    }

    private OtlpExporter otlp(Map<String, String> environment) {
        if (!environment.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT")
                && !environment.containsKey("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT")) {
            return null;
        }
        OtlpExporter.Builder builder = OtlpExporter.builder(engine).environment(environment);
        if (!environment.containsKey("OTEL_SERVICE_NAME")) {
            builder.serviceName("streammetrics-quickstart");
        }
        return builder.build();
    }

    private InfluxExporter influx(String writeUrl, Map<String, String> environment) {
        InfluxExporter.Builder builder = InfluxExporter.builder(engine).writeUrl(writeUrl)
                .externalLabel("job", "streammetrics-quickstart").interval(PUSH_INTERVAL);
        String token = environment.get("INFLUX_TOKEN");
        if (token != null && !token.isBlank()) {
            builder.token(token);
        }
        return builder.build();
    }

    /** The port the server listens on. */
    int port() {
        return server.port();
    }

    /** Waits until {@link #close()} has run, or at most {@code limit} (null: no limit). */
    void await(Duration limit) throws InterruptedException {
        if (limit == null) {
            closed.await();
        } else {
            closed.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Stops the pipeline, the evaluator and the printer, pushes a last OTLP export, stops the server and the engine,
     * and prints the totals. Idempotent; safe from a shutdown hook.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        closeResources();
        out.accept("stopped: " + totals(engine.snapshot()));
        closed.countDown();
    }

    private void closeResources() {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                out.accept("while stopping: " + e);
            }
        }
    }

    /** Records each stage processed and the errors, from the engine's last snapshot. */
    static String totals(MetricsSnapshot snapshot) {
        StringBuilder line = new StringBuilder();
        FamilySnapshot records = snapshot.family("stream_records_processed");
        int stage = records == null ? -1 : records.labelNames().indexOf("stage");
        if (records != null) {
            for (SeriesPoint point : records.points()) {
                line.append(line.length() == 0 ? "" : ", ").append(point.labelValues().get(stage)).append(' ')
                        .append(String.format(Locale.ROOT, "%,d", ((CounterPoint) point).longValue()));
            }
        }
        FamilySnapshot errors = snapshot.family("stream_errors");
        long errorCount = 0;
        if (errors != null) {
            for (SeriesPoint point : errors.points()) {
                errorCount += ((CounterPoint) point).longValue();
            }
        }
        return "records " + line + "; errors " + errorCount;
    }
}
