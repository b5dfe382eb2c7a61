package io.streammetrics.alert.notify;

import io.streammetrics.MetricsEngine;
import io.streammetrics.alert.Alert;
import io.streammetrics.alert.AlertEvaluator;
import io.streammetrics.alert.AlertEvent.Kind;
import io.streammetrics.alert.rule.AlertRule;
import io.streammetrics.alert.AlertState;
import io.streammetrics.alert.rule.Severity;
import io.streammetrics.alert.rule.ThresholdCondition;
import io.streammetrics.metric.Gauge;
import io.streammetrics.testing.ServerProcess;
import io.streammetrics.testing.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.streammetrics.alert.notify.TestAlerts.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real Alertmanager (Debian's build, from tools/fetch-test-servers.sh) receives a firing alert through
 * {@link AlertmanagerNotifier}, lists it as active with its labels and annotations, then drops it from the active
 * alerts once the resolution arrives: fed by hand, and end to end from a rule an {@link AlertEvaluator} evaluates
 * on a real engine's gauge.
 */
class AlertmanagerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern ENDS_AT = Pattern.compile("\"endsAt\":\"([^\"]+)\"");
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static ServerProcess alertmanager;
    private static URI baseUrl;

    @BeforeAll
    static void start() throws Exception {
        Path binary = TestServers.path("ALERTMANAGER");
        Path workDir = Files.createTempDirectory(Path.of("target"), "alertmanager-it").toAbsolutePath();
        Path config = workDir.resolve("alertmanager.yml");
        Files.writeString(config, String.join("\n",
                "route:",
                "  receiver: discard",
                "receivers:",
                "  - name: discard",
                ""));
        int port = ServerProcess.freePort();
        baseUrl = URI.create("http://127.0.0.1:" + port);
        alertmanager = ServerProcess.start("alertmanager", List.of(binary.toString(),
                        "--config.file=" + config,
                        "--storage.path=" + workDir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        // Empty: no gossip port, so parallel runs and other tests cannot clash on 9094.
                        "--cluster.listen-address="),
                workDir.resolve("alertmanager.log"), URI.create(baseUrl + "/-/ready"), TIMEOUT);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (alertmanager != null) {
            alertmanager.close();
        }
    }

    @Test
    void aFiringAlertIsListedActiveThenGoneOnceResolved() throws Exception {
        String run = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        // Whole seconds plus 123 ms: Alertmanager prints milliseconds always, Java's ISO_INSTANT only when non-zero.
        long firedAt = now / 1000 * 1000 - 60_000 + 123;
        Alert firing = new Alert("HighLatency-" + run, "HighLatency",
                Map.of("alertname", "HighLatency", "severity", "critical", "stage", "parse", "it_run", run),
                Map.of("summary", "p99 latency \"high\" on parse", "runbook_url", "https://runbooks.example/latency"),
                Severity.CRITICAL, AlertState.FIRING, 1.5, firedAt - 30_000, firedAt, 0, now, null, false);
        try (AlertmanagerNotifier notifier = AlertmanagerNotifier.builder().alertmanager(baseUrl)
                .generatorUrl(alert -> "http://dash.example/" + alert.ruleName()).build()) {

            notifier.notify(event(Kind.FIRING, firing));

            String listed = awaitAlerts("the alert listed as active", body -> body.contains("\"it_run\":\"" + run + "\"")
                    && body.contains("\"state\":\"active\""));
            assertTrue(listed.contains("\"alertname\":\"HighLatency\"") && listed.contains("\"stage\":\"parse\"")
                    && listed.contains("\"severity\":\"critical\""), listed);
            assertTrue(listed.contains("\"summary\":\"p99 latency \\\"high\\\" on parse\"")
                    && listed.contains("\"runbook_url\":\"https://runbooks.example/latency\""), listed);
            assertTrue(listed.contains("\"startsAt\":\"" + DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(firedAt)) + "\""),
                    listed);
            assertTrue(listed.contains("\"generatorURL\":\"http://dash.example/HighLatency\""), listed);
            Matcher endsAt = ENDS_AT.matcher(listed);
            assertTrue(endsAt.find(), listed);
            // Firing alerts are valid for 4 resend intervals (1 minute by default) from when they were sent.
            Duration validFor = Duration.between(Instant.ofEpochMilli(now), Instant.parse(endsAt.group(1)));
            assertTrue(validFor.compareTo(Duration.ofMinutes(4)) >= 0 && validFor.compareTo(Duration.ofMinutes(5)) < 0,
                    "endsAt " + endsAt.group(1) + " is " + validFor + " after the send");

            Alert resolved = new Alert(firing.id(), firing.ruleName(), firing.labels(), firing.annotations(),
                    firing.severity(), AlertState.RESOLVED, 0.2, firing.activeAtMillis(), firedAt,
                    System.currentTimeMillis() - 1000, System.currentTimeMillis(), null, false);
            notifier.notify(event(Kind.RESOLVED, resolved));

            awaitAlerts("the resolved alert gone from the active alerts",
                    body -> body.startsWith("[") && !body.contains("\"it_run\":\"" + run + "\""));
        }
    }

    @Test
    void anAlertOfTheEvaluatorFiresThenResolvesInAlertmanager() throws Exception {
        String run = UUID.randomUUID().toString();
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).build().start();
             AlertEvaluator evaluator = AlertEvaluator.builder().engine(engine)
                     .notifier(AlertmanagerNotifier.builder().alertmanager(baseUrl).build())
                     .rule(AlertRule.builder("QueueHigh").condition(ThresholdCondition.of("it_queue_size > 100"))
                             .severity(Severity.CRITICAL).label("it_run", run)
                             .summary("queue of {{labels.stage}} at {{value}}").runbook("https://runbooks.example/queue")
                             .build())
                     .build()) {
            Gauge queue = engine.gauge("it_queue_size").help("Queue.").labelNames("stage").register().labels("parse");
            queue.set(150);
            // By hand: the test decides when the condition is seen, and for: 0s makes one evaluation fire it.
            evaluator.evaluateOnce();
            Alert alert = evaluator.activeAlerts().get(0);
            assertEquals(AlertState.FIRING, alert.state());

            String listed = awaitAlerts("the evaluator's alert listed as active",
                    body -> body.contains("\"it_run\":\"" + run + "\"") && body.contains("\"state\":\"active\""));
            assertTrue(listed.contains("\"alertname\":\"QueueHigh\"") && listed.contains("\"stage\":\"parse\"")
                    && listed.contains("\"severity\":\"critical\""), listed);
            assertTrue(listed.contains("\"summary\":\"" + alert.annotations().get("summary") + "\"")
                    && alert.annotations().get("summary").startsWith("queue of parse at 150")
                    && listed.contains("\"runbook_url\":\"https://runbooks.example/queue\""), listed);
            assertTrue(listed.contains("\"startsAt\":\"" + alertmanagerTime(alert.firedAtMillis()) + "\""), listed);

            queue.set(10);
            evaluator.evaluateOnce();
            assertEquals(List.of(), evaluator.activeAlerts());

            awaitAlerts("the resolved alert gone from the active alerts",
                    body -> body.startsWith("[") && !body.contains("\"it_run\":\"" + run + "\""));
        }
    }

    /** A time as Alertmanager prints it: RFC 3339 with milliseconds always (Java's ISO_INSTANT drops zero ones). */
    private static String alertmanagerTime(long epochMillis) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC)
                .format(Instant.ofEpochMilli(epochMillis));
    }

    /** Polls {@code GET /api/v2/alerts?active=true} until its body satisfies {@code condition}. */
    private static String awaitAlerts(String what, Predicate<String> condition) throws Exception {
        URI uri = URI.create(baseUrl + "/api/v2/alerts?active=true&silenced=false&inhibited=false");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.ofString());
                last = "HTTP " + response.statusCode() + " " + response.body();
                if (response.statusCode() == 200 && condition.test(response.body().strip())) {
                    return response.body();
                }
            } catch (IOException e) {
                last = e.toString();
            }
            if (!alertmanager.isAlive()) {
                throw new AssertionError("Alertmanager exited: " + alertmanager.logText());
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + what + "; last answer: " + last + alertmanager.logText());
    }
}
