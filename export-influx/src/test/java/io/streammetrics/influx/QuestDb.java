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
 * A real QuestDB (the org.questdb:questdb jar from Maven Central, via tools/fetch-test-servers.sh) run as its own
 * JVM on 127.0.0.1 with its own root directory: line protocol over HTTP ({@code /write}) in, SQL ({@code /exec})
 * out. Only the HTTP server is on (no PostgreSQL wire, ILP/TCP or UDP listeners).
 */
final class QuestDb implements AutoCloseable {
    private final int port;
    private final RestartableServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    QuestDb(Path dir) throws IOException {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("conf"));
        this.port = ServerProcess.freePort();
        Files.writeString(root.resolve("conf/server.conf"), String.join("\n",
                "http.bind.to=127.0.0.1:" + port,
                "http.min.enabled=false",
                "pg.enabled=false",
                "line.tcp.enabled=false",
                "line.udp.enabled=false",
                "telemetry.enabled=false",
                ""));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.server = new RestartableServer("questdb", List.of(java, "-Xmx512m",
                "-p", TestServers.file("QUESTDB_JAR").toString(), "-m", "io.questdb/io.questdb.ServerMain",
                "-d", root.toString()), dir.resolve("questdb.log"),
                URI.create("http://127.0.0.1:" + port + "/exec?query=" + URLEncoder.encode("SELECT 1",
                        StandardCharsets.UTF_8)), Duration.ofSeconds(120));
    }

    QuestDb start() throws IOException, InterruptedException {
        server.start();
        return this;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The first column of the first row a SQL query returns, NaN when it returns none (or the table is missing). */
    @SuppressWarnings("unchecked")
    double single(String sql) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/exec?query="
                + URLEncoder.encode(sql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 400 && response.body().contains("does not exist")) {
            return Double.NaN;
        }
        if (response.statusCode() != 200) {
            throw new AssertionError(sql + ": HTTP " + response.statusCode() + " " + response.body());
        }
        Map<String, Object> answer = (Map<String, Object>) JsonReader.parse(response.body());
        List<Object> rows = (List<Object>) answer.get("dataset");
        if (rows == null || rows.isEmpty()) {
            return Double.NaN;
        }
        return ((Number) ((List<Object>) rows.get(0)).get(0)).doubleValue();
    }

    /** The SQL query for one expected field: its value in the newest row of the series. */
    static String query(Field field) {
        StringBuilder q = new StringBuilder("SELECT \"").append(field.field()).append("\" FROM \"")
                .append(field.measurement()).append('"');
        String glue = " WHERE ";
        for (Map.Entry<String, String> tag : field.tags().entrySet()) {
            q.append(glue).append('"').append(tag.getKey()).append("\" = '").append(tag.getValue()).append('\'');
            glue = " AND ";
        }
        return q.append(" ORDER BY timestamp DESC LIMIT 1").toString();
    }

    String logText() {
        return server.logText();
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
    }
}
