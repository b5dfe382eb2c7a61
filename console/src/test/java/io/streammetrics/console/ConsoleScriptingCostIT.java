package io.streammetrics.console;

import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.dashboard.Dashboard;
import io.streammetrics.json.JsonReader;
import io.streammetrics.metric.GaugeFamily;
import io.streammetrics.prometheus.PrometheusHttpServer;
import io.streammetrics.testing.TestClock;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page's own cost in Chromium with a chart of 50 series × 900 points (15 minutes at 1 s): the scripting time of
 * each update, from the Performance API ({@code performance.measure('console-update')}, which the page records from
 * the arrival of the JSON until uPlot has redrawn). The test checks that the chart holds what it should and reports
 * the times (stdout and {@code target/console-scripting-cost.txt}) for {@code benchmarks/RESULTS.md}; it asserts no
 * time, as the machine is shared.
 */
class ConsoleScriptingCostIT {
    private static final int SERIES = 50;
    private static final int MEASURED_UPDATES = 30;

    @Test
    void anUpdateOfFiftySeriesOfNineHundredPointsIsMeasuredInTheBrowser() throws Exception {
        TestClock clock = new TestClock(System.currentTimeMillis() - Duration.ofMinutes(20).toMillis());
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).backPressure(BackPressure.BLOCK).build()
                .start();
             Dashboard dashboard = Dashboard.builder(engine).clock(clock).window(Duration.ofSeconds(5)).build();
             Console console = Console.builder(dashboard).build();
             PrometheusHttpServer server = PrometheusHttpServer.builder(engine).port(0).build();
             BrowserSession browser = BrowserSession.start(null)) {
            console.mount(server);
            GaugeFamily load = engine.gauge("partition_load").help("Load per partition.").labelNames("partition")
                    .register();
            for (int p = 0; p < SERIES; p++) {
                load.labels("p" + p).set(p);
            }
            dashboard.refresh();
            String expression = "last(partition_load)";
            browser.driver.get("http://127.0.0.1:" + server.port() + Console.PATH + "#c="
                    + URLEncoder.encode(expression, StandardCharsets.UTF_8));
            browser.await(15, d -> pageSeq(browser) >= 1);      // it has asked: the dashboard watches the chart

            // 15 minutes of history, one refresh per simulated second.
            for (int second = 0; second < 900; second++) {
                step(load, clock, dashboard, second);
            }
            awaitPage(browser, dashboard, server);
            Number points = (Number) browser.js("""
                    const view = window.streammetricsConsole.custom[0];
                    return view.plot.data.slice(1).reduce((n, s) => n + s.filter(v => v !== null).length, 0);""");
            assertEquals(SERIES * 900, points.intValue(), "50 series of 900 points charted");
            assertEquals(SERIES, ((Number) browser.js(
                    "return window.streammetricsConsole.custom[0].plot.series.length - 1;")).intValue());

            // Measured as a reader sees it: the chart on screen (charts out of view are not redrawn).
            browser.js("window.streammetricsConsole.custom[0].card.scrollIntoView();");
            browser.await(5, d -> (Boolean) browser.js("return window.streammetricsConsole.custom[0].visible;"));
            browser.js("performance.clearMeasures('console-update');");
            for (int update = 0; update < MEASURED_UPDATES; update++) {
                step(load, clock, dashboard, 900 + update);
                awaitPage(browser, dashboard, server);
            }
            assertEquals(Boolean.TRUE, browser.js("""
                    const state = window.streammetricsConsole, times = state.custom[0].plot.data[0];
                    return times.length === 900 && times[times.length - 1] === state.times[state.times.length - 1];"""),
                    "the chart was drawn at each update, the last one included");
            @SuppressWarnings("unchecked")
            List<Number> durations = (List<Number>) browser.js(
                    "return performance.getEntriesByName('console-update').map(e => e.duration);");
            assertTrue(durations.size() >= MEASURED_UPDATES, "one measure per update: " + durations);
            List<Double> sorted = new ArrayList<>(durations.stream().map(Number::doubleValue).sorted().toList());
            String report = String.format(Locale.ROOT, "console update in Chromium, %d series x 900 points + %d "
                            + "updates measured: median %.2f ms, p90 %.2f ms, max %.2f ms%n", SERIES, sorted.size(),
                    sorted.get(sorted.size() / 2), sorted.get((int) (sorted.size() * 0.9)), sorted.get(sorted.size() - 1));
            System.out.print(report);
            Files.writeString(Path.of("target", "console-scripting-cost.txt"), report);
        }
    }

    private static void step(GaugeFamily load, TestClock clock, Dashboard dashboard, int second) {
        for (int p = 0; p < SERIES; p++) {
            load.labels("p" + p).set(p + 10 * Math.sin((second + p) / 30.0));
        }
        clock.advance(Duration.ofSeconds(1));
        dashboard.refresh();
    }

    private static long pageSeq(BrowserSession browser) {
        return ((Number) browser.js("return window.streammetricsConsole ? window.streammetricsConsole.seq : -1;"))
                .longValue();
    }

    private static void awaitPage(BrowserSession browser, Dashboard dashboard, PrometheusHttpServer server) {
        long latest = latestSeq(server);
        browser.await(20, d -> pageSeq(browser) >= latest);
    }

    private static long latestSeq(PrometheusHttpServer server) {
        try {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.port() + "/console/api/update?since=0")).build(), HttpResponse.BodyHandlers.ofString()).body();
            return ((Number) ((Map<?, ?>) ((Map<?, ?>) JsonReader.parse(body)).get("shared")).get("seq")).longValue();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
