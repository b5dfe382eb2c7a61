package io.streammetrics.console;

import com.sun.net.httpserver.HttpExchange;
import io.streammetrics.common.Durations;
import io.streammetrics.dashboard.Dashboard;
import io.streammetrics.prometheus.PrometheusHttpServer;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * The live console: a page served from the jar, under {@value #PATH} of a {@link PrometheusHttpServer} and so behind
 * its authentication and TLS, that shows what the process is doing right now.
 *
 * <ul>
 *   <li><b>Stages</b>: for each stage of the {@code StreamMetrics} families, records/s, bytes/s, error ratio,
 *       p50/p99/p99.9 processing and end-to-end latency and queue size, as line charts with one point per dashboard
 *       refresh (1 s by default) over the last {@link Builder#retention(Duration) 15 minutes};</li>
 *   <li><b>Latency heatmaps</b>: per timer family, how many values each half-octave latency band received in each
 *       second (from the differences of consecutive snapshots' buckets);</li>
 *   <li><b>Any metric</b>: charts of a counter's rate, a gauge or a histogram quantile, picked from the engine's
 *       families and labels; the page keeps its layout in the URL, so that a link shows the same charts;</li>
 *   <li><b>Alerts</b>: firing and pending alerts with value, labels and since when, the recent history, the
 *       silences; acknowledge and silence from the page, through the operator API ({@code /api/}), which must be
 *       mounted on the same server;</li>
 *   <li><b>Health</b>: the overall status and each component check.</li>
 * </ul>
 *
 * <p>The numbers are the {@link Dashboard}'s, over its windows (a console never computes its own): the console
 * {@link Dashboard#addListener listens} to its refreshes and keeps them, bounded, in the process, so that opening a
 * page shows the last 15 minutes at once and ten open pages cost what one does. Pages fetch JSON once per refresh
 * (not Server-Sent Events: the server's small request pool would be held by open streams, and a page that fetches
 * lets scrapes through between its requests); each fetch after the first carries only the new points.
 *
 * <pre>{@code
 * Dashboard dashboard = Dashboard.builder(engine).alerts(evaluator::activeAlerts).health(health::report).build().start();
 * OperatorApi.builder(evaluator).health(health).dashboard(dashboard).build().mount(server);
 * Console console = Console.builder(dashboard).build();
 * console.mount(server);      // http://127.0.0.1:9464/console/
 * }</pre>
 */
public final class Console implements AutoCloseable {
    /** Where the page is served. */
    public static final String PATH = "/console/";

    private final Dashboard dashboard;
    private final ConsoleHistory history;
    private final boolean redirectRoot;
    private final StaticResources resources;

    private Console(Builder builder) {
        this.dashboard = builder.dashboard;
        long interval = dashboard.interval().toMillis();
        int capacity = Math.toIntExact(Math.max(2, builder.retention.toMillis() / interval));
        this.history = new ConsoleHistory(dashboard, capacity, builder.maxStages, builder.maxHeatmaps,
                builder.maxSeriesPerWatch, Math.max(1, builder.watchExpiry.toMillis() / interval));
        this.redirectRoot = builder.redirectRoot;
        // Statics are read now, so that a jar without them fails at startup, not at the first page.
        this.resources = new StaticResources();
        dashboard.addListener(history);
    }

    /** A builder for a console of {@code dashboard}'s numbers. */
    public static Builder builder(Dashboard dashboard) {
        return new Builder(dashboard);
    }

    /**
     * Serves the page under {@value #PATH} of {@code server} and, unless {@link Builder#redirectRoot(boolean)
     * disabled}, redirects {@code /} there.
     *
     * @throws IllegalArgumentException if the server already serves one of those paths
     */
    public void mount(PrometheusHttpServer server) {
        server.mount(PATH, new ConsoleHandler(PATH, dashboard, history, resources));
        if (redirectRoot) {
            server.mount("/", Console::redirectRoot);
        }
    }

    /** The page's address on {@code server}, e.g. {@code http://127.0.0.1:9464/console/}. */
    public static String url(PrometheusHttpServer server, String host) {
        return server.scheme() + "://" + host + ":" + server.port() + PATH;
    }

    /** Stops listening to the dashboard (the history is no longer updated). */
    @Override
    public void close() {
        dashboard.removeListener(history);
    }

    /**
     * The JDK server routes every path no other context takes to "/": only "/" itself, and the page's path without
     * its slash (which relative links need), are the console's.
     */
    private static void redirectRoot(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/") || path.equals(PATH.substring(0, PATH.length() - 1))) {
                exchange.getResponseHeaders().set("Location", PATH);
                exchange.sendResponseHeaders(302, -1);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    /** Builds a {@link Console}. */
    public static final class Builder {
        private final Dashboard dashboard;
        private Duration retention = Duration.ofMinutes(15);
        private Duration watchExpiry = Duration.ofMinutes(15);
        private int maxStages = 64;
        private int maxHeatmaps = 16;
        private int maxSeriesPerWatch = 100;
        private boolean redirectRoot = true;

        private Builder(Dashboard dashboard) {
            this.dashboard = Objects.requireNonNull(dashboard, "dashboard");
        }

        /** How much history the process keeps and a page shows (default 15 min, one point per refresh). */
        public Builder retention(Duration retention) {
            this.retention = Durations.positive(retention, "retention");
            return this;
        }

        /**
         * How long an "any metric" expression is still evaluated after the last page that charts it asked for it
         * (default 15 min, so that a shared link opened meanwhile shows its history).
         */
        public Builder watchExpiry(Duration watchExpiry) {
            this.watchExpiry = Durations.positive(watchExpiry, "watchExpiry");
            return this;
        }

        /** Most stages shown (default 64; later ones are left out and logged once). */
        public Builder maxStages(int maxStages) {
            this.maxStages = positive(maxStages, "maxStages");
            return this;
        }

        /** Most timer families with a heatmap (default 16). */
        public Builder maxHeatmaps(int maxHeatmaps) {
            this.maxHeatmaps = positive(maxHeatmaps, "maxHeatmaps");
            return this;
        }

        /** Most series one charted expression keeps (default 100; the page says how many it left out). */
        public Builder maxSeriesPerWatch(int maxSeriesPerWatch) {
            this.maxSeriesPerWatch = positive(maxSeriesPerWatch, "maxSeriesPerWatch");
            return this;
        }

        /** Whether {@link #mount} also redirects {@code /} to the page (default true). */
        public Builder redirectRoot(boolean redirectRoot) {
            this.redirectRoot = redirectRoot;
            return this;
        }

        private static int positive(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, got " + value);
            }
            return value;
        }

        /**
         * Builds the console and starts keeping the dashboard's refreshes (mount it with {@link Console#mount}).
         *
         * @throws IllegalArgumentException if the retention is shorter than two refresh intervals
         */
        public Console build() {
            if (retention.compareTo(dashboard.interval().multipliedBy(2)) < 0) {
                throw new IllegalArgumentException("console retention " + Durations.format(retention)
                        + " must be at least two dashboard intervals (" + Durations.format(dashboard.interval()) + ")");
            }
            return new Console(this);
        }
    }
}
