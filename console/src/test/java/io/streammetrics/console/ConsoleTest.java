package io.streammetrics.console;

import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.dashboard.Dashboard;
import io.streammetrics.dashboard.DashboardData;
import io.streammetrics.dashboard.StageSummary;
import io.streammetrics.json.JsonReader;
import io.streammetrics.metric.Gauge;
import io.streammetrics.prometheus.PrometheusHttpServer;
import io.streammetrics.stream.StreamMetrics;
import io.streammetrics.testing.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's history and endpoints over real HTTP on 127.0.0.1 (no browser): what it keeps equals what the
 * dashboard computed at each refresh, it keeps no more than its retention, the answer after an update carries only
 * that update, and the endpoints refuse what they should.
 */
class ConsoleTest {
    private static final long START = 1_700_000_000_000L;
    private static final String TOKEN = "console-unit-token";

    private final HttpClient http = HttpClient.newHttpClient();
    private final TestClock clock = new TestClock(START);
    private final List<DashboardData> refreshes = new ArrayList<>();
    private MetricsEngine engine;
    private Dashboard dashboard;
    private Console console;
    private PrometheusHttpServer server;
    private StreamMetrics parse;

    @BeforeEach
    void start() throws IOException {
        engine = MetricsEngine.builder().jvmMetrics(false).backPressure(BackPressure.BLOCK).build().start();
        parse = StreamMetrics.builder(engine).pipeline("orders").stage("parse").build();
        dashboard = Dashboard.builder(engine).clock(clock).window(Duration.ofSeconds(3)).maxWatches(3).build();
        dashboard.addListener((snapshot, data) -> refreshes.add(data));
        console = Console.builder(dashboard).retention(Duration.ofSeconds(10)).build();
        server = PrometheusHttpServer.builder(engine).port(0).bearerToken(TOKEN).build();
        console.mount(server);
    }

    @AfterEach
    void stop() {
        server.close();
        console.close();
        dashboard.close();
        engine.close();
    }

    /** One second with {@code records} records and errors, then a refresh. */
    private void second(int records, int errors) {
        parse.recordProcessedBatch(records, records * 100L);
        parse.errorType("malformed").add(errors);
        for (int i = 0; i < records; i++) {
            parse.recordProcessingNanos(1_000L * (1 + i % 50));
        }
        clock.advance(Duration.ofSeconds(1));
        dashboard.refresh();
    }

    private HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> update(String query) {
        HttpResponse<String> response = get("/console/api/update" + query);
        assertEquals(200, response.statusCode(), response.body());
        return (Map<String, Object>) JsonReader.parse(response.body());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> shared(Map<String, Object> update) {
        return (Map<String, Object>) update.get("shared");
    }

    @Test
    void theHistoryHoldsEveryRefreshsNumbersAndAnUpdateOnlyTheNewPoints() {
        for (int s = 0; s < 8; s++) {
            second(100 * (s + 1), s);
        }
        Map<String, Object> full = shared(update(""));
        assertEquals(8.0, full.get("seq"));
        assertEquals(0.0, full.get("from"));
        assertEquals(refreshes.stream().map(d -> (double) d.timestampMillis()).toList(), full.get("times"));
        Map<?, ?> columns = (Map<?, ?>) ((Map<?, ?>) ((List<?>) full.get("stages")).get(0)).get("columns");
        for (StageColumn column : StageColumn.ALL) {
            List<?> values = (List<?>) columns.get(column.jsonName());
            assertEquals(8, values.size(), column.jsonName());
            for (int i = 0; i < 8; i++) {
                double expected = column.read(stage(refreshes.get(i)));
                if (Double.isNaN(expected)) {
                    assertNull(values.get(i), column.jsonName() + " at " + i);
                } else {
                    assertEquals(expected, (Double) values.get(i), Math.abs(expected) * 1e-6, column.jsonName() + " at " + i);
                }
            }
        }
        // The window is 3 s: 100 s/s more records each second, so the rate is the middle second's.
        assertEquals(700.0, (Double) ((List<?>) columns.get("recordsPerSecond")).get(7), 1e-3);

        second(900, 9);
        Map<String, Object> delta = shared(update("?since=8"));
        assertEquals(9.0, delta.get("seq"));
        assertEquals(8.0, delta.get("from"));
        assertEquals(List.of((double) refreshes.get(8).timestampMillis()), delta.get("times"));
        Map<?, ?> deltaColumns = (Map<?, ?>) ((Map<?, ?>) ((List<?>) delta.get("stages")).get(0)).get("columns");
        assertEquals(1, ((List<?>) deltaColumns.get("recordsPerSecond")).size());
        assertEquals(List.of(), shared(update("?since=9")).get("times"), "nothing new");
    }

    private static StageSummary stage(DashboardData data) {
        return data.stages().stream().filter(s -> s.stage().equals("parse")).findFirst().orElseThrow();
    }

    @Test
    void itKeepsNoMoreThanItsRetentionAndAPageTooFarBehindGetsAllOfIt() {
        for (int s = 0; s < 25; s++) {
            second(10, 0);
        }
        Map<String, Object> full = shared(update("?since=3"));
        assertEquals(25.0, full.get("seq"));
        assertEquals(15.0, full.get("from"), "10 s at 1 s: updates 16..25");
        assertEquals(10, ((List<?>) full.get("times")).size());
        assertEquals(15.0, shared(update("?since=99")).get("from"), "a page ahead of the server (restarted) starts over");
    }

    @Test
    void aChartedExpressionIsWatchedFromTheFirstAskAndErrorsAreReportedPerExpression() {
        Gauge depth = engine.gauge("queue_depth").labelNames("queue").register().labels("in");
        second(10, 0);
        String expression = "last(queue_depth)";
        String w = "?w=" + URLEncoder.encode(expression, StandardCharsets.UTF_8);
        Map<?, ?> first = (Map<?, ?>) update(w).get("watched");
        assertEquals(List.of(), ((Map<?, ?>) first.get(expression)).get("series"), "watched from the next refresh");
        for (int s = 1; s <= 3; s++) {
            depth.set(s * 10);
            second(10, 0);
        }
        Map<?, ?> watched = (Map<?, ?>) ((Map<?, ?>) update(w + "&since=1").get("watched")).get(expression);
        Map<?, ?> series = (Map<?, ?>) ((List<?>) watched.get("series")).get(0);
        assertEquals(Map.of("queue", "in"), series.get("labels"));
        assertEquals(List.of(10.0, 20.0, 30.0), series.get("values"));

        Map<?, ?> bad = (Map<?, ?>) update("?w=" + URLEncoder.encode("rate(queue_depth)", StandardCharsets.UTF_8))
                .get("watched");
        assertTrue(((String) ((Map<?, ?>) bad.get("rate(queue_depth)")).get("error")).contains("rate"), bad.toString());
        // The dashboard watches at most 3: the fourth distinct expression is refused, by name.
        update("?w=last(a)&w=last(b)");
        Map<?, ?> full = (Map<?, ?>) update("?w=last(c)").get("watched");
        assertTrue(((String) ((Map<?, ?>) full.get("last(c)")).get("error")).contains("already watches 3"),
                full.toString());
    }

    @Test
    void theEndpointsOnlyReadAndRefuseWhatTheyCannotServe() throws Exception {
        second(10, 0);
        HttpResponse<String> page = get("/console/");
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElseThrow());
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertEquals(200, get("/console/uplot/uPlot.iife.min.js").statusCode(), "uPlot from its webjar");
        assertEquals(200, get("/console/console.js").statusCode());
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/console/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode(), "nothing without the credentials");
        assertEquals(302, get("/console").statusCode());
        assertEquals(302, get("/").statusCode());
        assertEquals(404, get("/elsewhere").statusCode());
        assertEquals(404, get("/console/../etc/passwd").statusCode());
        assertEquals(404, get("/console/nothing.js").statusCode());
        assertEquals(400, get("/console/api/update?since=yesterday").statusCode());
        String tooMany = "?w=x" + "&w=x".repeat(ConsoleHandler.MAX_EXPRESSIONS);
        assertEquals(400, get("/console/api/update" + tooMany).statusCode());
        assertEquals(400, get("/console/api/update?w=" + "x".repeat(ConsoleHandler.MAX_EXPRESSION_LENGTH + 1))
                .statusCode());
        // A write that the server lets through (credentials, JSON, same origin) still finds nothing to change.
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/console/api/update")).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").header("Origin", "http://127.0.0.1:" + server.port())
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());

        Map<?, ?> catalogue = (Map<?, ?>) JsonReader.parse(get("/console/api/metrics").body());
        Map<?, ?> records = ((List<?>) catalogue.get("families")).stream().map(f -> (Map<?, ?>) f)
                .filter(f -> f.get("name").equals("stream_records_processed_total")).findFirst().orElseThrow();
        assertEquals("counter", records.get("type"));
        assertEquals(List.of("parse"), ((Map<?, ?>) records.get("labels")).get("stage"));

        // Large answers (a page's first load, uPlot) are gzipped when the browser accepts it.
        HttpResponse<byte[]> gzipped = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/console/uplot/uPlot.iife.min.js")).header("Authorization", "Bearer " + TOKEN)
                .header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("gzip", gzipped.headers().firstValue("Content-Encoding").orElseThrow());
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
            assertEquals(get("/console/uplot/uPlot.iife.min.js").body(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertTrue(gzipped.body().length < 30_000, "uPlot gzipped: " + gzipped.body().length);
    }

    @Test
    void aRetentionShorterThanTwoRefreshesIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Console.builder(dashboard).retention(Duration.ofMillis(1500)).build());
        assertTrue(e.getMessage().contains("at least two dashboard intervals"), e.getMessage());
    }
}
