package io.streammetrics.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.streammetrics.MetricsEngine;
import io.streammetrics.prometheus.PrometheusCollector;
import io.streammetrics.prometheus.PrometheusHttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Issue 15 item 9: how scrape endpoints answer while clients hold connections that sent half a request header and
 * stalled. For each server and each number of stalled connections, the latency of {@code GET /-/healthy} and
 * {@code GET /metrics} (sequential requests with a 2 s timeout; a phase stops after 3 timeouts), and how long the
 * server keeps a stalled connection open (up to 30 s). Servers, side by side in one run:
 *
 * <ul>
 *   <li>{@code jdk-2-threads}: the JDK HTTP server with the pool {@code PrometheusHttpServer} had before (2 threads,
 *       a queue of 32, caller runs), i.e. streammetrics before the change;</li>
 *   <li>{@code client_java}: Prometheus client_java's {@code HTTPServer} with its defaults (the JDK server too);</li>
 *   <li>{@code streammetrics}: {@code PrometheusHttpServer} now (Jetty, 2 request threads, 5 s idle timeout).</li>
 * </ul>
 *
 * Not a JMH benchmark: the question is whether requests are answered, and then in what order of magnitude.
 *
 * <pre>java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     io.streammetrics.benchmarks.StalledConnections [requests per phase, default 20]</pre>
 */
public final class StalledConnections {
    private static final int[] STALLED = {0, 2, 50};
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final int MAX_TIMEOUTS = 3;

    private StalledConnections() {
    }

    /** A server under test: where it listens and how to stop it. */
    private interface Target extends AutoCloseable {
        int port();

        @Override
        void close();
    }

    /** Arguments: requests per phase and path (default 20). */
    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        System.out.printf("JDK %s, %d cores; %d sequential requests per path and phase, %d ms timeout%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), requests, TIMEOUT.toMillis());
        System.out.println("| server | stalled connections | path | answered | p50 ms | max ms | timed out |");
        System.out.println("|---|---|---|---|---|---|---|");
        List<String> closes = new ArrayList<>();
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).build().start()) {
            engine.counter("jobs_total").help("Jobs.").register().labels().add(3);
            PrometheusRegistry registry = new PrometheusRegistry();
            Counter.builder().name("jobs_total").help("Jobs.").register(registry).inc(3);
            for (String kind : List.of("jdk-2-threads", "client_java", "streammetrics")) {
                for (int stalled : STALLED) {
                    try (Target target = start(kind, engine, registry)) {
                        phase(kind, target, stalled, requests);
                    }
                }
                try (Target target = start(kind, engine, registry)) {
                    closes.add("| " + kind + " | " + closedAfter(target) + " |");
                }
            }
        }
        System.out.println();
        System.out.println("| server | a stalled connection closed after |");
        System.out.println("|---|---|");
        closes.forEach(System.out::println);
    }

    private static Target start(String kind, MetricsEngine engine, PrometheusRegistry registry) throws IOException {
        switch (kind) {
            case "streammetrics" -> {
                PrometheusHttpServer server = PrometheusHttpServer.builder(engine).build();
                return target(server.port(), server::close);
            }
            case "client_java" -> {
                HTTPServer server = HTTPServer.builder().inetAddress(InetAddress.getLoopbackAddress()).port(0)
                        .registry(registry).buildAndStart();
                return target(server.getPort(), server::close);
            }
            default -> {
                HttpServer server = before(engine);
                return target(server.getAddress().getPort(), () -> {
                    server.stop(0);
                    ((ThreadPoolExecutor) server.getExecutor()).shutdownNow();
                });
            }
        }
    }

    private static Target target(int port, Runnable close) {
        return new Target() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void close() {
                close.run();
            }
        };
    }

    /** The JDK server as {@code PrometheusHttpServer} configured it before (pool and exact handlers' shape). */
    private static HttpServer before(MetricsEngine engine) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ThreadPoolExecutor executor = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(32), runnable -> {
                    Thread thread = new Thread(runnable, "before-http");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        server.setExecutor(executor);
        PrometheusCollector collector = PrometheusCollector.of(engine);
        ExpositionFormats formats = ExpositionFormats.init();
        server.createContext("/metrics", exchange -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            formats.getPrometheusTextFormatWriter().write(body, collector.collect());
            answer(exchange, body.toByteArray());
        });
        server.createContext("/-/healthy", exchange -> answer(exchange, "Healthy".getBytes(StandardCharsets.UTF_8)));
        server.start();
        return server;
    }

    private static void answer(HttpExchange exchange, byte[] body) throws IOException {
        try (exchange) {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static Socket stall(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    private static void phase(String kind, Target target, int stalledCount, int requests) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        // Warm up without stalls: class loading and JIT are not what this measures.
        for (int i = 0; i < 20; i++) {
            get(client, target.port(), "/metrics");
            get(client, target.port(), "/-/healthy");
        }
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < stalledCount; i++) {
                stalled.add(stall(target.port()));
            }
            Thread.sleep(200);
            for (String path : List.of("/-/healthy", "/metrics")) {
                long[] micros = new long[requests];
                int answered = 0;
                int timedOut = 0;
                while (answered + timedOut < requests && timedOut < MAX_TIMEOUTS) {
                    long start = System.nanoTime();
                    if (get(client, target.port(), path)) {
                        micros[answered++] = (System.nanoTime() - start) / 1000;
                    } else {
                        timedOut++;
                    }
                }
                long[] done = Arrays.copyOf(micros, answered);
                Arrays.sort(done);
                String p50 = answered == 0 ? "-" : ms(done[answered / 2]);
                String max = answered == 0 ? "-" : ms(done[answered - 1]);
                System.out.printf("| %s | %d | %s | %d of %d | %s | %s | %d%s |%n", kind, stalledCount, path, answered,
                        answered + timedOut, p50, max, timedOut, timedOut >= MAX_TIMEOUTS ? " (phase stopped)" : "");
            }
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    private static String ms(long micros) {
        return String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }

    /** Whether a GET answered 200 within the timeout. */
    private static boolean get(HttpClient client, int port, String path) throws InterruptedException {
        try {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + path)).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** How long the server keeps a connection with incomplete headers open (up to 30 s). */
    private static String closedAfter(Target target) throws IOException {
        try (Socket socket = stall(target.port())) {
            socket.setSoTimeout(30_000);
            InputStream in = socket.getInputStream();
            long start = System.nanoTime();
            try {
                while (in.read() >= 0) {
                    // what the server says before closing does not matter
                }
            } catch (SocketTimeoutException e) {
                return "still open after 30 s";
            } catch (IOException e) {
                // reset: closed
            }
            return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - start) / 1e9);
        }
    }
}
