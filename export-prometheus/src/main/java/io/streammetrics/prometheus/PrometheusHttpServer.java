package io.streammetrics.prometheus;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.streammetrics.MetricsEngine;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * A Prometheus scrape endpoint on the JDK's built-in HTTP server.
 *
 * <ul>
 *   <li>{@code /metrics}: the engine's metrics in the format negotiated from {@code Accept} (Prometheus text 0.0.4 by
 *       default, OpenMetrics 1.0, or Prometheus protobuf, which carries native histograms), gzip-compressed when
 *       {@code Accept-Encoding} allows it; the text formats rendered straight from the store by
 *       {@link StoreTextWriter} unless {@link Builder#storeTextWriter(boolean) disabled}, protobuf by
 *       client_java;</li>
 *   <li>{@code /-/healthy}: 200 {@code Healthy}, without authentication so that liveness probes need no secret
 *       (it reveals nothing);</li>
 *   <li>anything {@link #mount mounted} by other modules, behind the same authentication as {@code /metrics}.</li>
 * </ul>
 *
 * <pre>{@code
 * try (PrometheusHttpServer server = PrometheusHttpServer.builder(engine).port(9464).build()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>A scrape takes an engine snapshot, which never blocks the aggregator; concurrent scrapes are safe (the engine
 * serialises snapshots). Requests run on a small bounded pool (2 threads by default): scrapes are rare and cheap, and
 * a bounded pool keeps a misbehaving client from multiplying threads; when the pool and its queue are full, the
 * server's dispatcher thread serves the request itself, which slows down accepting new connections instead of
 * dropping them. Scrapes are counted in the engine itself ({@code streammetrics_scrapes_total},
 * {@code streammetrics_scrape_errors_total}, {@code streammetrics_scrape_duration_seconds}).
 *
 * <p><b>TLS.</b> {@link Builder#tls(SSLContext)} serves HTTPS only (the JDK's {@code HttpsServer}) with the
 * caller's {@code SSLContext}: its key managers supply the server certificate, its trust managers and the
 * context's default {@code SSLParameters} decide protocols, cipher suites and (if set) client authentication.
 * Plain HTTP to a TLS port fails the handshake.
 *
 * <p>Binds to 127.0.0.1 by default: exposing metrics beyond the host is a decision to make explicitly.
 */
public final class PrometheusHttpServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PrometheusHttpServer.class.getName());
    /** Where Prometheus scrapes by default. */
    public static final String METRICS_PATH = "/metrics";
    /** The health check path, as Prometheus' own. */
    public static final String HEALTHY_PATH = "/-/healthy";

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final RequestAuthenticator authenticator;

    private PrometheusHttpServer(Builder builder) throws IOException {
        this.authenticator = builder.username == null && builder.bearerToken == null ? null
                : new RequestAuthenticator(builder.username, builder.password, builder.bearerToken);
        ScrapeMetrics metrics = new ScrapeMetrics(builder.collector.engine());
        Supplier<MetricSnapshots> source = builder.source != null ? builder.source : builder.collector::collect;
        // A test source replaces the engine's data, which only the client_java path reads from it.
        StoreTextWriter storeText = builder.storeText && builder.source == null
                ? StoreTextWriter.builder(builder.collector).build() : null;
        this.executor = new ThreadPoolExecutor(builder.threads, builder.threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(builder.queueCapacity), daemonThreads(), new ThreadPoolExecutor.CallerRunsPolicy());
        InetSocketAddress address = new InetSocketAddress(builder.bindAddress, builder.port);
        if (builder.sslContext != null) {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(builder.sslContext));
            this.server = https;
        } else {
            this.server = HttpServer.create(address, 0);
        }
        server.setExecutor(executor);
        try {
            HttpContext metricsContext = server.createContext(METRICS_PATH,
                    new MetricsHandler(source, ExpositionFormats.init(), storeText, metrics));
            secure(metricsContext);
            server.createContext(HEALTHY_PATH, PrometheusHttpServer::healthy);
            server.start();
        } catch (RuntimeException e) {
            executor.shutdownNow();
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, "Prometheus endpoint listening on " + scheme() + "://"
                + server.getAddress().getHostString() + ":" + port() + METRICS_PATH);
    }

    /** A builder exporting {@code engine} with a default {@link PrometheusCollector}. */
    public static Builder builder(MetricsEngine engine) {
        return new Builder(PrometheusCollector.of(engine));
    }

    /** A builder exporting through {@code collector} (for custom buckets or histogram modes). */
    public static Builder builder(PrometheusCollector collector) {
        return new Builder(collector);
    }

    /** The port the server is bound to (the ephemeral one when built with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code https} when built with {@link Builder#tls(SSLContext)}, else {@code http}. */
    public String scheme() {
        return server instanceof HttpsServer ? "https" : "http";
    }

    /** The address the server is bound to. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /**
     * Serves {@code handler} under {@code path} (a prefix, as the JDK server matches contexts), behind the same
     * authentication as {@code /metrics}.
     *
     * @throws IllegalArgumentException if the path is taken or invalid
     */
    public void mount(String path, HttpHandler handler) {
        Objects.requireNonNull(handler, "handler");
        secure(server.createContext(Objects.requireNonNull(path, "path"), handler));
    }

    /** Stops listening, then lets running requests finish for up to 5 seconds. Idempotent. */
    @Override
    public void close() {
        if (executor.isShutdown()) {
            return;
        }
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void secure(HttpContext context) {
        if (authenticator != null) {
            context.setAuthenticator(authenticator);
        }
    }

    private static void healthy(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(HEALTHY_PATH)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = "Healthy".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, exchange.getRequestMethod().equals("HEAD") ? -1 : body.length);
            if (!exchange.getRequestMethod().equals("HEAD")) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            // Daemon: an exporter left open must not keep the JVM alive.
            Thread thread = new Thread(runnable, "streammetrics-prometheus-http-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Builds and starts a {@link PrometheusHttpServer}. */
    public static final class Builder {
        private final PrometheusCollector collector;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port = 0;
        private int threads = 2;
        private int queueCapacity = 32;
        private String username;
        private String password;
        private String bearerToken;
        private Supplier<MetricSnapshots> source;
        private SSLContext sslContext;
        private boolean storeText = true;

        private Builder(PrometheusCollector collector) {
            this.collector = Objects.requireNonNull(collector, "collector");
        }

        /** The address to bind (default the loopback address, 127.0.0.1); use 0.0.0.0 to listen everywhere. */
        public Builder bindAddress(String address) throws IOException {
            this.bindAddress = InetAddress.getByName(Objects.requireNonNull(address, "address"));
            return this;
        }

        /** The port (default 0: an ephemeral port, see {@link PrometheusHttpServer#port()}). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** Request threads (default 2). */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Requires HTTP basic authentication with these credentials on {@code /metrics} and mounted handlers. */
        public Builder basicAuth(String username, String password) {
            this.username = Objects.requireNonNull(username, "username");
            this.password = Objects.requireNonNull(password, "password");
            if (username.contains(":")) {
                throw new IllegalArgumentException("a basic auth username cannot contain ':'");
            }
            return this;
        }

        /** Requires {@code Authorization: Bearer <token>} (or basic auth, when also set) on protected paths. */
        public Builder bearerToken(String token) {
            this.bearerToken = Objects.requireNonNull(token, "token");
            if (token.isBlank()) {
                throw new IllegalArgumentException("bearer token must not be blank");
            }
            return this;
        }

        /**
         * Serves HTTPS instead of HTTP, with this context's certificate and settings (see the class comment). Build
         * it from a key store, e.g. with {@code KeyManagerFactory} and {@code SSLContext.getInstance("TLS")}.
         */
        public Builder tls(SSLContext sslContext) {
            this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
            return this;
        }

        /**
         * Whether text 0.0.4 and OpenMetrics are rendered straight from the store by {@link StoreTextWriter}
         * (default true: the same samples as client_java's writers, without allocating per scrape, measured 2 to 4
         * times faster than client_java; see {@code benchmarks/RESULTS.md}) or, when false, by client_java's writers
         * from {@link PrometheusCollector#collect()} snapshots. Protobuf always goes through client_java.
         */
        public Builder storeTextWriter(boolean enabled) {
            this.storeText = enabled;
            return this;
        }

        /** Test hook: where scrapes get their snapshots instead of the collector. */
        Builder source(Supplier<MetricSnapshots> source) {
            this.source = source;
            return this;
        }

        /**
         * Binds and starts the server.
         *
         * @throws IOException if the address cannot be bound
         */
        public PrometheusHttpServer build() throws IOException {
            return new PrometheusHttpServer(this);
        }
    }
}
