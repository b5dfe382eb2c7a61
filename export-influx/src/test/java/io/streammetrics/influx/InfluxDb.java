package io.streammetrics.influx;

import io.streammetrics.json.JsonReader;
import io.streammetrics.push.RestartableServer;
import io.streammetrics.testing.ServerProcess;
import io.streammetrics.testing.TestServers;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real InfluxDB 1.6 ({@code influxd} from Debian's influxdb package, via tools/fetch-test-servers.sh) on
 * 127.0.0.1 with its own directories; queried with InfluxQL ({@code /query}).
 */
final class InfluxDb implements AutoCloseable {
    static final String DATABASE = "metrics";

    private final int port;
    private final RestartableServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    InfluxDb(Path dir) throws IOException {
        Files.createDirectories(dir);
        this.port = ServerProcess.freePort();
        int rpcPort = ServerProcess.freePort();
        Path config = dir.resolve("influxdb.conf");
        Files.writeString(config, String.join("\n",
                "reporting-disabled = true",
                "bind-address = \"127.0.0.1:" + rpcPort + "\"",
                "[meta]",
                "  dir = \"" + dir.resolve("meta") + "\"",
                "[data]",
                "  dir = \"" + dir.resolve("data") + "\"",
                "  wal-dir = \"" + dir.resolve("wal") + "\"",
                "  query-log-enabled = false",
                "[http]",
                "  bind-address = \"127.0.0.1:" + port + "\"",
                "  log-enabled = false",
                "[monitor]",
                "  store-enabled = false",
                ""));
        this.server = new RestartableServer("influxd", List.of(TestServers.path("INFLUXD").toString(),
                "run", "-config", config.toString()), dir.resolve("influxd.log"),
                URI.create("http://127.0.0.1:" + port + "/query?q=SHOW+DATABASES"), Duration.ofSeconds(60));
    }

    /** Starts the server and creates {@link #DATABASE} (a no-op when it exists). */
    InfluxDb start() throws IOException, InterruptedException {
        server.start();
        String answer = post("/query?q=" + URLEncoder.encode("CREATE DATABASE " + DATABASE, StandardCharsets.UTF_8));
        if (answer.contains("\"error\"")) {
            throw new AssertionError("CREATE DATABASE failed: " + answer);
        }
        return this;
    }

    void kill() throws InterruptedException {
        server.kill();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The first value of the first series an InfluxQL query returns, NaN when it returns none. */
    @SuppressWarnings("unchecked")
    double single(String influxQl) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/query?db="
                + DATABASE + "&q=" + URLEncoder.encode(influxQl, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError(influxQl + ": HTTP " + response.statusCode() + " " + response.body());
        }
        Map<String, Object> answer = (Map<String, Object>) JsonReader.parse(response.body());
        Map<String, Object> result = (Map<String, Object>) ((List<Object>) answer.get("results")).get(0);
        if (result.containsKey("error")) {
            throw new AssertionError(influxQl + ": " + result.get("error"));
        }
        List<Object> series = (List<Object>) result.get("series");
        if (series == null || series.isEmpty()) {
            return Double.NaN;
        }
        List<Object> row = (List<Object>) ((List<Object>) ((Map<String, Object>) series.get(0)).get("values")).get(0);
        return ((Number) row.get(1)).doubleValue();
    }

    /** The InfluxQL query for one expected field: its last value. */
    static String query(Field field) {
        StringBuilder q = new StringBuilder("SELECT last(\"").append(field.field()).append("\") FROM \"")
                .append(field.measurement()).append('"');
        String glue = " WHERE ";
        for (Map.Entry<String, String> tag : field.tags().entrySet()) {
            q.append(glue).append('"').append(tag.getKey()).append("\"='").append(tag.getValue()).append('\'');
            glue = " AND ";
        }
        return q.toString();
    }

    private String post(String pathAndQuery) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    String logText() {
        return server.logText();
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
    }
}
