package io.streammetrics.examples;

import io.streammetrics.alert.rule.AlertRule;
import io.streammetrics.alert.config.RuleFile;
import io.streammetrics.alert.config.RuleFileException;
import io.streammetrics.push.ScriptedReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The quick-start's options, its server while it runs (until the test closes it), its summary and its shutdown. */
class QuickStartTest {
    @TempDir
    Path dir;

    /** A light rate and no trouble: the machine is shared, and these tests look at plumbing, not alerts. */
    private static QuickStartOptions quiet(String... more) {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--rate", "5000", "--trouble-for", "0s"));
        args.addAll(List.of(more));
        return QuickStartOptions.parse(args.toArray(String[]::new));
    }

    @Test
    void servesMetricsAndTheOperatorApiUntilClosed() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        String metrics;
        String health;
        try (QuickStartRun run = QuickStartRun.start(quiet(), Map.of(), lines::add)) {
            assertTrue(lines.get(0).startsWith("serving http://127.0.0.1:" + run.port() + "/metrics and "), lines.get(0));
            assertTrue(lines.get(2).startsWith("console: http://127.0.0.1:" + run.port() + "/console/ "), lines.get(2));
            String base = "http://127.0.0.1:" + run.port();
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(base + "/console/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<script src=\"console.js\""), page.body());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            do {
                Thread.sleep(100);
                metrics = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } while (!metrics.contains("stream_records_processed_total{pipeline=\"orders\",stage=\"sink\"}")
                    && System.nanoTime() < deadline);
            health = client.send(HttpRequest.newBuilder(URI.create(base + "/api/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
        for (String stage : List.of("source", "parse", "enrich", "sink")) {
            assertTrue(metrics.contains("stream_records_processed_total{pipeline=\"orders\",stage=\"" + stage + "\"}"),
                    stage);
        }
        assertTrue(metrics.contains("stream_processing_latency_seconds_bucket{pipeline=\"orders\",stage=\"enrich\""));
        assertTrue(health.contains("\"status\":\"healthy\""), health);
        assertTrue(lines.get(lines.size() - 1).startsWith("stopped: records "), lines.toString());
    }

    @Test
    void aBearerTokenProtectsTheServerAndEnablesOperatorWrites() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        String silence = "{\"matchers\":[{\"name\":\"alertname\",\"value\":\"HighLatency\"}],\"duration\":\"5m\"}";
        try (QuickStartRun run = QuickStartRun.start(quiet("--bearer-token", "s3cret"), Map.of(), lines::add)) {
            String base = "http://127.0.0.1:" + run.port();
            assertTrue(lines.get(3).contains("curl -H 'Authorization: Bearer s3cret' " + base + "/metrics"),
                    lines.get(3));
            assertEquals(401, client.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                    .header("Authorization", "Bearer s3cret").build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode());
            HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create(base + "/api/silences"))
                    .header("Authorization", "Bearer s3cret").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(silence)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
        }
        lines.clear();
        try (QuickStartRun run = QuickStartRun.start(quiet(), Map.of(), lines::add)) {
            assertTrue(lines.get(3).startsWith("operator API writes (acknowledge, silence) are off"), lines.get(3));
            HttpResponse<String> refused = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + run.port() + "/api/silences")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(silence)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, refused.statusCode(), refused.body());
        }
    }

    @Test
    void printsALineASecondAndStopsAfterItsDuration() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        QuickStartRun run = QuickStartRun.start(quiet("--duration", "2500ms"), Map.of(), lines::add);
        run.await(Duration.ofMillis(2500));
        run.close();
        run.await(null);
        assertTrue(lines.stream().anyMatch(line -> line.matches("\\[ *\\d+s] [\\d,]+ rec/s \\| p99 .*")),
                lines.toString());
        String last = lines.get(lines.size() - 1);
        assertTrue(last.matches("stopped: records .*sink [1-9][\\d,]*.*; errors \\d+"), last);
    }

    @Test
    void optionsParseAndBadOnesNameTheProblem() throws Exception {
        QuickStartOptions defaults = QuickStartOptions.parse();
        assertEquals(9464, defaults.port());
        assertEquals("127.0.0.1", defaults.bind());
        assertNull(defaults.duration());
        assertNull(defaults.rules());
        assertEquals(new TroubleSchedule(Duration.ofSeconds(10), Duration.ofSeconds(15)), defaults.trouble());
        Path rules = Files.writeString(dir.resolve("rules.yaml"), "groups: []\n");
        QuickStartOptions options = QuickStartOptions.parse("--port", "0", "--bind", "0.0.0.0", "--duration", "1m30s",
                "--rules", rules.toString(), "--rate", "2000", "--trouble-at", "2s", "--trouble-for", "500ms");
        assertEquals(new QuickStartOptions(0, "0.0.0.0", Duration.ofSeconds(90), rules, 2000,
                new TroubleSchedule(Duration.ofSeconds(2), Duration.ofMillis(500)), false, null, null, null, null), options);
        assertEquals("s3cret", QuickStartOptions.parse("--bearer-token", "s3cret").bearerToken());
        assertEquals(new QuickStartOptions.BasicAuth("ops", "s3:cr:t"),
                QuickStartOptions.parse("--basic-auth", "ops:s3:cr:t").basicAuth());
        assertEquals("BasicAuth[user=ops, password=***]", new QuickStartOptions.BasicAuth("ops", "s3cr3t").toString());
        for (String credentials : List.of(":pw", "ops:", "ops")) {
            assertEquals("--basic-auth: give USER:PASSWORD, both non-empty", assertThrows(IllegalArgumentException.class,
                    () -> QuickStartOptions.parse("--basic-auth", credentials)).getMessage());
        }
        QuickStartOptions push = QuickStartOptions.parse("--remote-write", "http://127.0.0.1:9090/api/v1/write",
                "--influx", "http://127.0.0.1:8086/write?db=metrics");
        assertEquals("http://127.0.0.1:9090/api/v1/write", push.remoteWrite());
        assertEquals("http://127.0.0.1:8086/write?db=metrics", push.influx());
        assertTrue(QuickStartOptions.parse("--help").help());
        Map<List<String>, String> bad = Map.of(
                List.of("--port", "http"), "--port: 'http' is not a port number",
                List.of("--duration", "soon"), "--duration: invalid duration 'soon'",
                List.of("--duration", "0s"), "--duration",
                List.of("--rules", dir.resolve("missing.yaml").toString()), "--rules: cannot read",
                List.of("--rate", "-5"), "--rate: '-5' is not a positive number",
                List.of("--port"), "--port needs a value",
                List.of("--bearer-token", "two words"), "--bearer-token: a token is printable ASCII",
                List.of("--remote-write", "127.0.0.1:9090"), "--remote-write: '127.0.0.1:9090' is not an http",
                List.of("--influx", "ftp://x/write"), "--influx: 'ftp://x/write' is not an http",
                List.of("--verbose"), "unknown option '--verbose'");
        bad.forEach((args, message) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> QuickStartOptions.parse(args.toArray(String[]::new)));
            assertTrue(e.getMessage().startsWith(message), e.getMessage());
        });
        for (String option : List.of("--port", "--bind", "--duration", "--rules", "--rate", "--trouble-at",
                "--trouble-for", "--remote-write", "--influx", "--basic-auth", "--bearer-token", "--help")) {
            assertTrue(QuickStartOptions.USAGE.contains(option), option);
        }
    }

    @Test
    void aBadRuleFileFailsTheStartNamingFileAndLine() throws Exception {
        Path rules = Files.writeString(dir.resolve("bad.yaml"), "groups:\n  - name: g\n    rules:\n      - alert: A\n"
                + "        expr: rate(x[1m] > 1\n");
        RuleFileException e = assertThrows(RuleFileException.class, () -> QuickStartRun.start(
                QuickStartOptions.parse("--port", "0", "--rules", rules.toString()), Map.of(), line -> { }));
        assertTrue(e.getMessage().startsWith(rules + ":5: "), e.getMessage());
    }

    @Test
    void pushesOtlpWhenTheEnvironmentNamesAnEndpointAndRefusesABadVariable() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        // Nothing listens on port 1: the pushes fail (counted), the run and its close do not.
        try (QuickStartRun run = QuickStartRun.start(quiet(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://127.0.0.1:1", "OTEL_EXPORTER_OTLP_TIMEOUT", "500"), lines::add)) {
            assertTrue(lines.get(1).endsWith("; pushing OTLP to http://127.0.0.1:1/v1/metrics"), lines.get(1));
        }
        assertTrue(lines.get(lines.size() - 1).startsWith("stopped: "), lines.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuickStartRun.start(quiet(),
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1", "OTEL_EXPORTER_OTLP_PROTOCOL", "pigeon"),
                line -> { }));
        assertTrue(e.getMessage().contains("OTEL_EXPORTER_OTLP_PROTOCOL"), e.getMessage());
    }

    @Test
    void pushesRemoteWriteAndLineProtocolWhenAsked() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        try (ScriptedReceiver receiver = new ScriptedReceiver()) {
            try (QuickStartRun run = QuickStartRun.start(quiet("--remote-write", receiver.url("/api/v1/write"),
                    "--influx", receiver.url("/write?db=quickstart")), Map.of(), lines::add)) {
                assertTrue(lines.get(1).endsWith("; remote write to " + receiver.url("/api/v1/write")
                        + "; line protocol to " + receiver.url("/write?db=quickstart&precision=n")), lines.get(1));
            }
            // Closing the run made each exporter's last push.
            List<ScriptedReceiver.Received> received = receiver.received();
            assertTrue(received.stream().anyMatch(r -> "snappy".equals(r.header("Content-Encoding"))
                    && "0.1.0".equals(r.header("X-Prometheus-Remote-Write-Version"))), "a remote-write push");
            assertTrue(received.stream().anyMatch(r -> new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)
                    .contains("stream_records_processed,") && r.header("Content-Type").startsWith("text/plain")),
                    "a line-protocol push with the pipeline's metrics");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuickStartRun.start(
                quiet("--influx", "http://127.0.0.1:1/query?db=x"), Map.of(), line -> { }));
        assertTrue(e.getMessage().contains("must end in /write"), e.getMessage());
    }

    @Test
    void theShippedRulesLoad() {
        assertEquals(List.of("HighLatency", "HighErrorRate", "LowThroughput", "QueueBacklog", "HighCpu"),
                RuleFile.loadResource(QuickStart.class, QuickStart.RULES_RESOURCE).get(0)
                        .rules().stream().map(AlertRule::name).toList());
    }
}
