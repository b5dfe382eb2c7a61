package io.streammetrics.console;

import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.alert.AlertEvaluator;
import io.streammetrics.alert.config.RuleFile;
import io.streammetrics.dashboard.Dashboard;
import io.streammetrics.dashboard.StageSummary;
import io.streammetrics.health.HealthCheckResult;
import io.streammetrics.health.HealthMonitor;
import io.streammetrics.json.JsonReader;
import io.streammetrics.metric.Gauge;
import io.streammetrics.prometheus.PrometheusHttpServer;
import io.streammetrics.operator.OperatorApi;
import io.streammetrics.stream.StreamMetrics;
import io.streammetrics.testing.TestClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console in a real headless Chromium (Debian's, through chromedriver), against a real engine, dashboard, alert
 * evaluator and operator API on 127.0.0.1, behind bearer-token authentication. The dashboard refreshes when a test
 * says so ({@link #tick}), on a test clock, so that what the page shows can be compared with what the engine's
 * windows hold at the same update.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserIT {
    static final String TOKEN = "console-test-token";
    static final String XSS = "<img src=x onerror=alert(1)>";
    private static final String RULES = """
            groups:
              - name: console
                rules:
                  - alert: DeepQueue
                    expr: last(queue_depth) > 10
                    labels: {severity: critical}
                    annotations: {summary: "queue depth is {{value}}"}
                  - alert: HostileLabel
                    expr: last(hostile_gauge) > 0
                    labels: {severity: warning}
                    annotations: {summary: "{{labels.name}} misbehaves"}
            """;

    private final HttpClient http = HttpClient.newHttpClient();
    private final TestClock clock = new TestClock(System.currentTimeMillis());
    private MetricsEngine engine;
    private AlertEvaluator evaluator;
    private HealthMonitor health;
    private Dashboard dashboard;
    private Console console;
    private PrometheusHttpServer server;
    private BrowserSession browser;
    private StreamMetrics parse;
    private StreamMetrics sink;
    private Gauge queueDepth;
    private long spikeNanos;
    private int spikePerSecond;

    @BeforeAll
    void start() throws Exception {
        engine = MetricsEngine.builder().backPressure(BackPressure.BLOCK).jvmMetrics(false).build().start();
        parse = StreamMetrics.builder(engine).pipeline("orders").stage("parse").build();
        sink = StreamMetrics.builder(engine).pipeline("orders").stage("sink").build();
        queueDepth = engine.gauge("queue_depth").help("Records waiting.").register().labels();
        engine.gauge("hostile_gauge").help("A label value that is HTML.").labelNames("name").register()
                .labels(XSS).set(1);
        AlertEvaluator.Builder rules = AlertEvaluator.builder().engine(engine);
        RuleFile.parse(Path.of("console-rules.yaml"), RULES).forEach(rules::ruleGroup);
        evaluator = rules.build();
        health = HealthMonitor.builder().alerts(evaluator::activeAlerts).cacheTtl(Duration.ZERO)
                .register("kafka", () -> HealthCheckResult.healthy("reachable")).build();
        dashboard = Dashboard.builder(engine).clock(clock).window(Duration.ofSeconds(5))
                .alerts(evaluator::activeAlerts).health(health::report).build();
        console = Console.builder(dashboard).build();
        server = PrometheusHttpServer.builder(engine).port(0).bearerToken(TOKEN).build();
        OperatorApi.builder(evaluator).health(health).dashboard(dashboard).build().mount(server);
        console.mount(server);
        browser = BrowserSession.start(TOKEN);
        for (int i = 0; i < 8; i++) {
            tick();
        }
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        server.close();
        console.close();
        dashboard.close();
        health.close();
        evaluator.close();
        engine.close();
    }

    @BeforeEach
    void openPage() {
        browser.driver.get(url(Console.PATH));
        awaitPageAtLatestUpdate();
    }

    /** One second of the pipeline, then an alert evaluation and a dashboard refresh. */
    private void tick() {
        parse.recordProcessedBatch(400, 40_000);
        parse.errorType("malformed").add(8);
        sink.recordProcessedBatch(392, 39_200);
        for (int i = 0; i < 100; i++) {
            parse.recordProcessingNanos(1_000_000);
            sink.recordProcessingNanos(200_000);
        }
        for (int i = 0; i < spikePerSecond; i++) {
            parse.recordProcessingNanos(spikeNanos);
        }
        clock.advance(Duration.ofSeconds(1));
        evaluator.evaluateOnce();       // first, so that this refresh carries the alerts it finds
        dashboard.refresh();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private long pageSeq() {
        return ((Number) browser.js("return window.streammetricsConsole ? window.streammetricsConsole.seq : -1;"))
                .longValue();
    }

    private void awaitPageAtLatestUpdate() {
        long latest = historySeq();
        browser.await(15, d -> pageSeq() >= latest);
    }

    private long historySeq() {
        Map<?, ?> update = (Map<?, ?>) JsonReader.parse(get("/console/api/update?since=0").body());
        return ((Number) ((Map<?, ?>) update.get("shared")).get("seq")).longValue();
    }

    private HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + TOKEN).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void thePageLoadsWithoutJavaScriptErrorsBehindBearerAuthentication() {
        browser.consoleEntries();
        browser.driver.navigate().refresh();
        awaitPageAtLatestUpdate();
        tick();
        awaitPageAtLatestUpdate();
        browser.await(5, d -> !d.findElements(By.cssSelector("#health tbody tr")).isEmpty());
        List<LogEntry> errors = browser.consoleEntries().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue()).toList();
        assertEquals(List.of(), errors.stream().map(LogEntry::getMessage).toList(), "browser console");
        assertEquals("streammetrics console", browser.driver.getTitle());
        assertTrue(browser.driver.findElement(By.id("status")).getText().startsWith("updated"),
                browser.driver.findElement(By.id("status")).getText());
        String healthText = browser.driver.findElement(By.id("health")).getText();
        assertTrue(healthText.contains("kafka") && healthText.contains("reachable"), healthText);

        // Without the token nothing of the console is served, the page's files included.
        for (String path : List.of("/", "/console/", "/console/console.js", "/console/uplot/uPlot.iife.min.js",
                "/console/api/update", "/console/api/metrics")) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url(path))).GET());
            assertEquals(401, response.statusCode(), path);
        }
        HttpResponse<String> root = get("/");
        assertEquals(302, root.statusCode());
        assertEquals(Console.PATH, root.headers().firstValue("Location").orElseThrow());
    }

    @Test
    void theChartsShowTheEnginesWindowsAtTheLatestUpdate() {
        browser.js("document.querySelector(\".stage[data-stage='orders/parse']\").scrollIntoView();");
        tick();
        awaitPageAtLatestUpdate();
        StageSummary parseNow = dashboard.data().stages().stream().filter(s -> s.stage().equals("parse"))
                .findFirst().orElseThrow();
        assertEquals(400, parseNow.recordsPerSecond(), 1e-9, "what was recorded");
        WebElement card = browser.driver.findElement(By.cssSelector(".stage[data-stage='orders/parse']"));
        Map<String, Double> expected = Map.of(
                "recordsPerSecond", parseNow.recordsPerSecond(),
                "bytesPerSecond", parseNow.bytesPerSecond(),
                "errorRatio", parseNow.errorRatio(),
                "p50", parseNow.p50Seconds(),
                "p99", parseNow.p99Seconds());
        expected.forEach((column, value) -> {
            String raw = card.findElement(By.cssSelector("[data-column='" + column + "']")).getAttribute("data-raw");
            // The JSON carries float precision (7 digits).
            assertEquals(value, Double.parseDouble(raw), Math.abs(value) * 1e-6, column);
        });
        assertEquals("400 /s", card.findElement(By.cssSelector("[data-column='recordsPerSecond']")).getText());
        // The charts hold the history: one point per update, the same values as the table's latest.
        Number points = (Number) browser.js("""
                const view = window.streammetricsConsole.stages.get('orders/parse');
                return view.plots[0][0].data[1].filter(v => v !== null).length;""");
        assertTrue(points.intValue() >= 5, "points charted: " + points);
        Number lastCharted = (Number) browser.js("""
                const d = window.streammetricsConsole.stages.get('orders/parse').plots[0][0].data[1];
                return d[d.length - 1];""");
        assertEquals(400.0, lastCharted.doubleValue(), 1e-3);
        assertEquals(2, browser.driver.findElements(By.cssSelector(".stage")).size(), "parse and sink");
    }

    @Test
    void aChartOutOfViewIsRedrawnWhenItComesIntoView() {
        String lastCharted = """
                const view = window.streammetricsConsole.stages.get('orders/sink');
                const times = view.plots[0][0].data[0];
                return times[times.length - 1] === window.streammetricsConsole.times.at(-1);""";
        org.openqa.selenium.Dimension size = browser.driver.manage().window().getSize();
        try {
            browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 500));
            browser.js("window.scrollTo(0, 0);");
            browser.await(5, d -> Boolean.FALSE.equals(browser.js(
                    "return window.streammetricsConsole.stages.get('orders/sink').visible;")));
            tick();
            awaitPageAtLatestUpdate();
            assertEquals(Boolean.FALSE, browser.js(lastCharted), "out of view: not redrawn");
            browser.js("document.querySelector(\".stage[data-stage='orders/sink']\").scrollIntoView();");
            browser.await(5, d -> Boolean.TRUE.equals(browser.js(lastCharted)));
        } finally {
            browser.driver.manage().window().setSize(size);
        }
    }

    @Test
    void duringALatencySpikeTheHeatmapShowsCountsInTheSpikesBand() {
        browser.js("window.streammetricsConsole.heatmaps.get('stream_processing_latency_seconds').canvas"
                + ".scrollIntoView();");
        spikeNanos = 300_000_000L;
        spikePerSecond = 7;
        try {
            tick();
            tick();
        } finally {
            spikePerSecond = 0;
        }
        awaitPageAtLatestUpdate();
        int spikeRow = LatencyHeatmap.rowOf(spikeNanos);
        int normalRow = LatencyHeatmap.rowOf(1_000_000);
        @SuppressWarnings("unchecked")
        List<List<Number>> lastTwo = (List<List<Number>>) browser.js("""
                const view = window.streammetricsConsole.heatmaps.get('stream_processing_latency_seconds');
                return view.cells.slice(-2);""");
        for (List<Number> cells : lastTwo) {
            Map<Integer, Integer> byRow = new java.util.HashMap<>();
            for (int i = 0; i < cells.size(); i += 2) {
                byRow.put(cells.get(i).intValue(), cells.get(i + 1).intValue());
            }
            assertEquals(7, byRow.getOrDefault(spikeRow, 0), "the spike's band, " + byRow);
            assertEquals(100, byRow.getOrDefault(normalRow, 0), "parse's 1 ms values, " + byRow);
        }
        // And it is drawn: the spike's cell in the newest column is lit, not the background.
        @SuppressWarnings("unchecked")
        List<Number> pixel = (List<Number>) browser.js("""
                const view = window.streammetricsConsole.heatmaps.get('stream_processing_latency_seconds');
                const c = view.canvas, ctx = c.getContext('2d');
                const plotHeight = c.height - 18, rows = view.highRow - view.lowRow + 1;
                const y = plotHeight - (arguments[0] - view.lowRow + 0.5) * plotHeight / rows;
                return Array.from(ctx.getImageData(c.width - 1, Math.floor(y), 1, 1).data);""", spikeRow);
        assertTrue(pixel.get(0).intValue() + pixel.get(1).intValue() + pixel.get(2).intValue() > 3 * 0x20,
                "lit: " + pixel);
        tick();
    }

    @Test
    void hoveringAHeatmapCellNamesTheTraceOfItsExemplar() {
        browser.js("window.streammetricsConsole.heatmaps.get('stream_processing_latency_seconds').canvas"
                + ".scrollIntoView();");
        // The W3C example trace id: 0af7651916cd43dd8448eb211c80319c, span 00f067aa0ba902b7.
        parse.recordProcessingNanosWithExemplar(300_000_000L, 0x0af7651916cd43ddL, 0x8448eb211c80319cL,
                0x00f067aa0ba902b7L);
        tick();
        awaitPageAtLatestUpdate();
        // A mouse move over the newest column, in the exemplar's row, as the user's pointer would send it.
        String tooltip = (String) browser.js("""
                const view = window.streammetricsConsole.heatmaps.get('stream_processing_latency_seconds');
                const c = view.canvas, rect = c.getBoundingClientRect();
                const plotHeight = c.height - 18, rows = view.highRow - view.lowRow + 1;
                const y = plotHeight - (arguments[0] - view.lowRow + 0.5) * plotHeight / rows;
                const x = c.width - 1;
                c.dispatchEvent(new MouseEvent('mousemove', {bubbles: true,
                    clientX: rect.left + x * rect.width / c.width, clientY: rect.top + y * rect.height / c.height}));
                return view.tooltip.textContent;""", LatencyHeatmap.rowOf(300_000_000L));
        assertTrue(tooltip.contains(": 1 values") && tooltip.contains("trace 0af7651916cd43dd8448eb211c80319c"),
                tooltip);
    }

    @Test
    void acknowledgingAndSilencingFromThePageChangeTheOperatorApi() {
        queueDepth.set(25);
        tick();
        awaitPageAtLatestUpdate();
        WebElement row = browser.await(10, d -> d.findElements(By.cssSelector("#alerts tbody tr")).stream()
                .filter(r -> r.getText().contains("DeepQueue")).findFirst().orElse(null));
        String alertId = row.getAttribute("data-alert-id");
        WebElement operator = browser.driver.findElement(By.id("operator"));
        operator.clear();
        operator.sendKeys("alice");
        row.findElement(By.cssSelector("button.ack")).click();
        browser.await(10, d -> alert(alertId).get("acknowledgedBy") != null);
        assertEquals("alice", alert(alertId).get("acknowledgedBy"));

        tick();
        awaitPageAtLatestUpdate();
        WebElement again = browser.await(10, d -> d.findElement(By.cssSelector("#alerts tr[data-alert-id='" + alertId + "']")));
        assertEquals("alice", again.findElement(By.cssSelector("td.acknowledged")).getText());
        again.findElement(By.cssSelector("button.silence")).click();
        browser.driver.findElement(By.id("silence-duration")).clear();
        browser.driver.findElement(By.id("silence-duration")).sendKeys("30m");
        browser.driver.findElement(By.id("silence-comment")).sendKeys("deploying the fix");
        browser.driver.findElement(By.id("create-silence")).click();
        Map<?, ?> silence = browser.await(10, d -> silences().stream()
                .filter(s -> "deploying the fix".equals(s.get("comment"))).findFirst().orElse(null));
        assertEquals("alice", silence.get("createdBy"));
        assertTrue(((List<?>) silence.get("matchers")).contains(
                Map.of("name", "alertname", "value", "DeepQueue", "isRegex", false, "isEqual", true)), silence.toString());

        // Expire it from the page's silence list.
        WebElement silenceRow = browser.await(10, d -> d.findElement(
                By.cssSelector("#silences tr[data-silence-id='" + silence.get("id") + "']")));
        silenceRow.findElement(By.cssSelector("button.expire")).click();
        browser.await(10, d -> silences().stream().noneMatch(s -> s.get("id").equals(silence.get("id"))));
        queueDepth.set(0);
        tick();
    }

    private Map<?, ?> alert(String id) {
        Map<?, ?> alerts = (Map<?, ?>) JsonReader.parse(get("/api/alerts").body());
        return ((List<?>) alerts.get("active")).stream().map(a -> (Map<?, ?>) a)
                .filter(a -> a.get("id").equals(id)).findFirst().orElseThrow();
    }

    private List<Map<?, ?>> silences() {
        Map<?, ?> json = (Map<?, ?>) JsonReader.parse(get("/api/silences").body());
        return ((List<?>) json.get("silences")).stream().<Map<?, ?>>map(s -> (Map<?, ?>) s).toList();
    }

    @Test
    void aLabelValueHoldingHtmlShowsAsTextAndRunsNothing() {
        WebElement row = browser.await(10, d -> d.findElements(By.cssSelector("#alerts tbody tr")).stream()
                .filter(r -> r.getText().contains("HostileLabel")).findFirst().orElse(null));
        assertTrue(row.getText().contains("name=" + XSS), row.getText());
        assertEquals(XSS + " misbehaves", row.findElement(By.cssSelector("td.annotation")).getText());
        // The any-metric selector lists the value as an option's text.
        browser.driver.findElement(By.id("family")).sendKeys("hostile_gauge");
        browser.await(5, d -> d.findElements(By.cssSelector("#label-filters option")).stream()
                .anyMatch(o -> o.getText().equals(XSS)));
        // Chart it: its legend carries the labels.
        browser.driver.findElement(By.id("add-chart")).click();
        // The dashboard watches the chart's expression from the page's next request, and has a value a refresh later.
        boolean shown = false;
        for (int i = 0; i < 10 && !shown; i++) {
            tick();
            awaitPageAtLatestUpdate();
            shown = browser.driver.findElements(By.cssSelector(".custom .u-legend")).stream()
                    .anyMatch(l -> l.getText().contains(XSS));
        }
        assertTrue(shown, "the chart's legend names the series by its labels");
        assertEquals(0L, browser.js("return document.querySelectorAll('img').length;"), "no element was made of it");
        assertThrows(NoAlertPresentException.class, () -> browser.driver.switchTo().alert());
        assertTrue(browser.driver.getCurrentUrl().contains("#c="), browser.driver.getCurrentUrl());
        browser.js("location.hash = '';");
    }
}
