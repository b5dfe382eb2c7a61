package io.streammetrics.examples;

import java.io.IOException;

/**
 * The quick-start: a synthetic stream pipeline (source → parse → enrich → sink, {@link SyntheticPipeline})
 * instrumented with {@code StreamMetrics}, serving {@code /metrics} and the operator API ({@code /api/health},
 * {@code /api/alerts}, {@code /api/silences}, {@code /api/dashboard}) on 127.0.0.1:9464, evaluating the alert rules
 * of {@value #RULES_RESOURCE} (or {@code --rules FILE}), pushing OTLP when {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set,
 * and printing a live summary every second. At 10 s it injects a latency spike and an error burst for 15 s, so that
 * alerts fire and resolve within the first minute. Ctrl-C stops it cleanly; {@code --help} lists the options.
 */
public final class QuickStart {
    /** The rules used without {@code --rules}. */
    static final String RULES_RESOURCE = "/quickstart-rules.yaml";

    private QuickStart() {
    }

    /** Runs the quick-start; exits with 2 for bad options or rules, 1 when it cannot listen. */
    public static void main(String[] args) throws InterruptedException {
        QuickStartOptions options;
        try {
            options = QuickStartOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage() + " (try --help)");
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(QuickStartOptions.USAGE);
            return;
        }
        QuickStartRun run;
        try {
            run = QuickStartRun.start(options, System.getenv(), System.out::println);
        } catch (IllegalArgumentException e) {      // a bad rule file (RuleFileException), a bad OTEL_* variable
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        } catch (IOException e) {
            System.err.println("error: cannot listen on " + options.bind() + ":" + options.port() + ": " + e.getMessage()
                    + " (is another process using it? try --port)");
            System.exit(1);
            return;
        }
        // Ctrl-C: the hook stops the run cleanly (last OTLP export, totals) while the JVM shuts down.
        Thread hook = new Thread(run::close, "quickstart-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        run.await(options.duration());
        run.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook is already running the close.
        }
    }
}
