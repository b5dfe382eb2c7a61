package io.streammetrics.push;

import io.streammetrics.testing.ServerProcess;
import io.streammetrics.testing.TestServers;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real VictoriaMetrics (from tools/fetch-test-servers.sh) on 127.0.0.1 with its own data directory: remote-write
 * and InfluxDB line-protocol receivers and the Prometheus query API. Queries see new samples at once
 * ({@code -search.latencyOffset=0s}, no cache).
 */
public final class VictoriaMetrics implements AutoCloseable {
    private final int port;
    private final RestartableServer server;
    private final QueryApi api;

    /** Prepares a server with its data under {@code dir} (not started). */
    public VictoriaMetrics(Path dir) throws IOException {
        Files.createDirectories(dir);
        this.port = ServerProcess.freePort();
        String base = "http://127.0.0.1:" + port;
        this.server = new RestartableServer("victoria-metrics", List.of(
                TestServers.path("VICTORIA_METRICS").toString(),
                "-httpListenAddr=127.0.0.1:" + port,
                "-storageDataPath=" + dir.resolve("data"),
                "-search.latencyOffset=0s",
                "-search.disableCache",
                "-loggerLevel=WARN"),
                dir.resolve("victoria-metrics.log"), URI.create(base + "/health"), Duration.ofSeconds(30));
        this.api = new QueryApi(base);
    }

    public VictoriaMetrics start() throws IOException, InterruptedException {
        server.start();
        return this;
    }

    /** Kills the server (SIGKILL); {@link #start()} brings it back on the same port and data. */
    public void kill() throws InterruptedException {
        server.kill();
    }

    /** The remote-write receiver. */
    public String remoteWriteUrl() {
        return "http://127.0.0.1:" + port + "/api/v1/write";
    }

    /** The server's base URL; its InfluxDB line-protocol receiver is InfluxDB 1.x's {@code /write} under it. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public QueryApi api() {
        return api;
    }

    public String logText() {
        return server.logText();
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
    }
}
