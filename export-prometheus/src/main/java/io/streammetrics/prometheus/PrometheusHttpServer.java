package io.streammetrics.prometheus;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.streammetrics.MetricsEngine;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A Prometheus scrape endpoint on an embedded Jetty 12 server, serving handlers written for the JDK's
 * {@code com.sun.net.httpserver} API.
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
 * serialises snapshots). Scrapes are counted in the engine itself ({@code streammetrics_scrapes_total},
 * {@code streammetrics_scrape_errors_total}, {@code streammetrics_scrape_duration_seconds}).
 *
 * <p><b>Hostile clients.</b> Jetty reads request headers without blocking, on its one selector thread, so a
 * connection that sends half a request and stalls holds no request thread: handlers run on a bounded pool
 * ({@link Builder#threads(int)} request threads, default 2, plus Jetty's acceptor and selector) only once a request's
 * headers are complete. A connection that makes no progress for {@link Builder#idleTimeout(Duration)} (default 5 s)
 * is closed, and request headers are limited to 8 KiB (431 beyond). The JDK's own server reads headers on its
 * request threads without a time limit, so that two stalled connections took both threads and the endpoint with
 * them; {@code benchmarks/RESULTS.md} has the measurement. Contexts match whole path segments ({@code /metrics}, not
 * {@code /metricsXYZ}), and {@code /metrics} and {@code /-/healthy} only their exact path.
 *
 * <p><b>Host check.</b> Bound to a loopback address (the default), the server answers 403 to a request whose
 * {@code Host} is neither {@code localhost} nor a loopback address literal: that is what a web page that rebinds
 * its DNS name to 127.0.0.1 sends (DNS rebinding).
 *
 * <p><b>TLS.</b> {@link Builder#tls(SSLContext)} serves HTTPS only with the caller's {@code SSLContext}: its key
 * managers supply the server certificate, its trust managers and the context's default {@code SSLParameters} decide
 * protocols, cipher suites and (if set) client authentication.
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
    /** Request line and headers beyond this answer 431: nothing we serve needs more. */
    static final int MAX_REQUEST_HEADER_BYTES = 8 * 1024;
    /** Default {@link Builder#idleTimeout(Duration)}. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(5);

    private final Server server;
    private final ServerConnector connector;
    private final ContextRouter router;
    private final RequestAuthenticator authenticator;
    private final InetAddress bindAddress;
    private final boolean tls;

    private PrometheusHttpServer(Builder builder) throws IOException {
        this.authenticator = builder.username == null && builder.bearerToken == null ? null
                : new RequestAuthenticator(builder.username, builder.password, builder.bearerToken);
        ScrapeMetrics metrics = new ScrapeMetrics(builder.collector.engine());
        Supplier<MetricSnapshots> source = builder.source != null ? builder.source : builder.collector::collect;
        // A test source replaces the engine's data, which only the client_java path reads from it.
        StoreTextWriter storeText = builder.storeText && builder.source == null
                ? StoreTextWriter.builder(builder.collector).build() : null;
        this.bindAddress = builder.bindAddress;
        this.tls = builder.sslContext != null;
        // Request threads plus Jetty's acceptor and selector: the selector reads every connection's headers, so a
        // stalled connection costs a buffer, not a thread.
        QueuedThreadPool pool = new QueuedThreadPool(builder.threads + 2, Math.min(2, builder.threads + 2));
        pool.setName("streammetrics-prometheus-http");
        // Daemon: an exporter left open must not keep the JVM alive.
        pool.setDaemon(true);
        pool.setReservedThreads(0);
        this.server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES);
        HttpConnectionFactory plain = new HttpConnectionFactory(http);
        this.connector = builder.sslContext == null ? new ServerConnector(server, 1, 1, plain)
                : new ServerConnector(server, 1, 1, new SslConnectionFactory(sslFactory(builder.sslContext),
                        plain.getProtocol()), plain);
        connector.setHost(bindAddress.getHostAddress());
        connector.setPort(builder.port);
        connector.setIdleTimeout(builder.idleTimeout.toMillis());
        server.addConnector(connector);
        this.router = new ContextRouter(bindAddress);
        server.setHandler(router);
        mountSecured(METRICS_PATH, new MetricsHandler(METRICS_PATH, source, ExpositionFormats.init(), storeText,
                metrics));
        router.add(new MountedContext(HEALTHY_PATH, PrometheusHttpServer::healthy));
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly();
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException("could not start the HTTP server on " + bindAddress.getHostAddress() + ":"
                    + builder.port + ": " + e.getMessage(), e);
        }
        LOG.log(System.Logger.Level.INFO, "Prometheus endpoint listening on " + scheme() + "://"
                + bindAddress.getHostAddress() + ":" + port() + METRICS_PATH);
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
        return connector.getLocalPort();
    }

    /** {@code https} when built with {@link Builder#tls(SSLContext)}, else {@code http}. */
    public String scheme() {
        return tls ? "https" : "http";
    }

    /** The address the server is bound to. */
    public InetSocketAddress address() {
        return new InetSocketAddress(bindAddress, port());
    }

    /**
     * Whether the server requires credentials ({@link Builder#basicAuth}, {@link Builder#bearerToken}) on
     * {@code /metrics} and mounted handlers. The operator API allows writes only then, unless told otherwise.
     */
    public boolean requiresAuthentication() {
        return authenticator != null;
    }

    /**
     * Serves {@code handler} under {@code path} and the paths below it ({@code /console/} serves everything under
     * it, {@code /x} serves {@code /x} and {@code /x/...}; {@code /} what no other path serves), behind the same
     * authentication as {@code /metrics}. Handlers run on the server's bounded request pool and may block.
     *
     * @throws IllegalArgumentException if the path is taken or does not start with {@code /}
     */
    public void mount(String path, HttpHandler handler) {
        Objects.requireNonNull(handler, "handler");
        mountSecured(Objects.requireNonNull(path, "path"), handler);
    }

    /** Stops listening, then lets running requests finish for up to 5 seconds. Idempotent. */
    @Override
    public void close() {
        if (server.isStopped()) {
            return;
        }
        stopQuietly();
    }

    private void stopQuietly() {
        try {
            server.setStopTimeout(5_000);
            server.stop();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "stopping the HTTP server failed", e);
        }
    }

    private void mountSecured(String path, HttpHandler handler) {
        MountedContext context = new MountedContext(path, handler);
        if (authenticator != null) {
            context.setAuthenticator(authenticator);
        }
        router.add(context);
    }

    /** Jetty's TLS settings from the caller's context: its defaults, not Jetty's, decide protocols and suites. */
    private static SslContextFactory.Server sslFactory(SSLContext context) {
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setSslContext(context);
        SSLParameters parameters = context.getDefaultSSLParameters();
        factory.setExcludeProtocols();
        factory.setExcludeCipherSuites();
        factory.setIncludeProtocols(parameters.getProtocols());
        factory.setIncludeCipherSuites(parameters.getCipherSuites());
        factory.setNeedClientAuth(parameters.getNeedClientAuth());
        factory.setWantClientAuth(parameters.getWantClientAuth());
        return factory;
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

    /** Builds and starts a {@link PrometheusHttpServer}. */
    public static final class Builder {
        private final PrometheusCollector collector;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port = 0;
        private int threads = 2;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
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

        /**
         * How long a connection may make no progress (headers, body, or reading the response) before it is closed
         * (default 5 s). Bounds how long a client that sends half a request holds a connection; Prometheus opens a
         * new one for a scrape after a longer pause.
         */
        public Builder idleTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("idle timeout must be positive, got " + timeout);
            }
            this.idleTimeout = timeout;
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
