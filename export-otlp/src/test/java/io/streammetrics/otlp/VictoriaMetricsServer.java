package io.streammetrics.otlp;

import io.streammetrics.testing.TestServers;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real VictoriaMetrics on 127.0.0.1 (the binary from tools/fetch-test-servers.sh) with its OTLP receiver, started
 * and stopped by a test; it can be stopped and started again on the same port and data directory.
 */
final class VictoriaMetricsServer implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Pattern SAMPLE = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]");
    private static final Pattern NAME = Pattern.compile("\"__name__\":\"([^\"]+)\"");

    private final Path binary;
    private final Path dataDir;
    private final Path log;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    VictoriaMetricsServer(Path dataDir) throws IOException {
        this.binary = TestServers.path("VICTORIA_METRICS");
        this.dataDir = dataDir;
        this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            this.port = socket.getLocalPort();
        }
    }

    /** Starts the server and waits until it answers {@code /health}. */
    void start() throws IOException {
        process = new ProcessBuilder(binary.toString(),
                "-httpListenAddr=127.0.0.1:" + port,
                "-storageDataPath=" + dataDir,
                "-opentelemetry.usePrometheusNaming",
                "-search.latencyOffset=0s",
                "-search.disableCache")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        Poll.until(STARTUP, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("victoria-metrics exited with " + process.exitValue() + ", see " + log);
            }
            return get("/health").equals("OK");
        }, () -> "victoria-metrics to answer /health on port " + port + " (log " + log + ")");
    }

    /** Kills the server (SIGKILL: an abrupt outage) and waits for it to go. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** The OTLP/HTTP metrics endpoint. */
    String otlpEndpoint() {
        return "http://127.0.0.1:" + port + "/opentelemetry/v1/metrics";
    }

    /** The values of an instant query's series (empty when there are none or the server does not answer). */
    List<Double> query(String promql) {
        String body = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        List<Double> values = new ArrayList<>();
        Matcher matcher = SAMPLE.matcher(body);
        while (matcher.find()) {
            values.add(Double.parseDouble(matcher.group(1)));
        }
        return values;
    }

    /** Metric names of the series matching {@code selector} (for messages and the naming check). */
    List<String> names(String selector) {
        String body = get("/api/v1/series?match[]=" + URLEncoder.encode(selector, StandardCharsets.UTF_8));
        List<String> names = new ArrayList<>();
        Matcher matcher = NAME.matcher(body);
        while (matcher.find()) {
            if (!names.contains(matcher.group(1))) {
                names.add(matcher.group(1));
            }
        }
        names.sort(null);
        return names;
    }

    /** Raw response of a query, for failure messages. */
    String raw(String pathAndQuery) {
        return get(pathAndQuery);
    }

    private String get(String pathAndQuery) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + pathAndQuery)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body().trim() : "HTTP " + response.statusCode();
        } catch (IOException e) {
            return "unreachable: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
