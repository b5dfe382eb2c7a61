package io.streammetrics.remotewrite;

import io.streammetrics.push.QueryApi;
import io.streammetrics.push.RestartableServer;
import io.streammetrics.testing.ServerProcess;
import io.streammetrics.testing.TestServers;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Prometheus 2.53 (from tools/fetch-test-servers.sh) on 127.0.0.1 as a remote-write receiver
 * ({@code --web.enable-remote-write-receiver}, native histograms on), scraping nothing.
 */
final class PrometheusReceiver implements AutoCloseable {
    private final int port;
    private final RestartableServer server;
    private final QueryApi api;

    PrometheusReceiver(Path dir) throws IOException {
        Files.createDirectories(dir);
        this.port = ServerProcess.freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  evaluation_interval: 1m\n");
        String base = "http://127.0.0.1:" + port;
        this.server = new RestartableServer("prometheus", List.of(
                TestServers.path("PROMETHEUS").toString(),
                "--config.file=" + config.toAbsolutePath(),
                "--web.listen-address=127.0.0.1:" + port,
                "--storage.tsdb.path=" + dir.resolve("data").toAbsolutePath(),
                "--web.enable-remote-write-receiver",
                "--enable-feature=native-histograms"),
                dir.resolve("prometheus.log"), URI.create(base + "/-/ready"), Duration.ofSeconds(60));
        this.api = new QueryApi(base);
    }

    PrometheusReceiver start() throws IOException, InterruptedException {
        server.start();
        return this;
    }

    String remoteWriteUrl() {
        return "http://127.0.0.1:" + port + "/api/v1/write";
    }

    QueryApi api() {
        return api;
    }

    String logText() {
        return server.logText();
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
    }
}
