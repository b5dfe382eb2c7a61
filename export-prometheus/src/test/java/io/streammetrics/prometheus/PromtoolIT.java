package io.streammetrics.prometheus;

import io.streammetrics.testing.Promtool;
import io.streammetrics.MetricsEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real {@code promtool check metrics} (Prometheus 2.53) accepts what the endpoint serves, whether the text
 * formats come from {@link StoreTextWriter} (the default) or from client_java's writers.
 */
class PromtoolIT {
    private static MetricsEngine engine;
    private static PrometheusHttpServer storeServer;
    private static PrometheusHttpServer clientJavaServer;

    @BeforeAll
    static void start() throws IOException {
        // BLOCK: these tests compare exported values with what was recorded, so a starved aggregator must not drop.
        engine = MetricsEngine.builder().backPressure(io.streammetrics.BackPressure.BLOCK).build().start();
        ExampleMetrics.populate(engine);
        // A summary family too: one labelled series with values, one empty (NaN quantiles).
        var window = engine.timer("example_window").help("Latency over the last minute.").labelNames("stage").register();
        for (int i = 1; i <= 1000; i++) {
            window.labels("parse").record(i * 7_000L);
        }
        window.labels("idle");
        storeServer = PrometheusHttpServer.builder(
                PrometheusCollector.builder(engine).summary("example_window").build()).build();
        clientJavaServer = PrometheusHttpServer.builder(
                PrometheusCollector.builder(engine).summary("example_window").build()).storeTextWriter(false).build();
    }

    @AfterAll
    static void stop() {
        storeServer.close();
        clientJavaServer.close();
        engine.close();
    }

    /** Both servers, for every test: they are closed once, after all tests (hence autoCloseArguments = false). */
    static Stream<Named<PrometheusHttpServer>> servers() {
        return Stream.of(Named.of("store text writer", storeServer), Named.of("client_java writers", clientJavaServer));
    }

    private static String scrape(PrometheusHttpServer server, String accept) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .header("Accept", accept).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return response.body();
    }

    /** Runs promtool check metrics on {@code exposition}; returns exit code and output. */
    private static String[] promtool(String exposition) throws Exception {
        Promtool.Result result = Promtool.checkMetrics(exposition);
        return new String[] {Integer.toString(result.exitCode()), result.output()};
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("servers")
    void textFormatPassesPromtool(PrometheusHttpServer server) throws Exception {
        String text = scrape(server, "text/plain; version=0.0.4");
        assertTrue(text.contains("otel_metric_overflow=\"true\""), text);
        assertTrue(text.contains("\\\"uo\\\\te\\nline"), text);
        assertTrue(text.contains("# TYPE example_window_seconds summary\n"), text);
        assertTrue(text.contains("example_window_seconds{stage=\"parse\",quantile=\"0.99\"} "), text);
        assertTrue(text.contains("example_window_seconds{stage=\"idle\",quantile=\"0.5\"} NaN\n"), text);
        String[] result = promtool(text);
        assertEquals("0", result[0], "promtool check metrics:\n" + result[1] + "\non:\n" + text);
    }

    /**
     * promtool 2.53 parses stdin as text 0.0.4 only: an OpenMetrics counter's {@code # HELP} names the family
     * ({@code x}) while its sample is {@code x_total}, so promtool reports "x_total no help text" for every counter.
     * Those reports, and only those, are expected; a parse error (exit 1) or any other lint problem fails.
     */
    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("servers")
    void openMetricsPassesPromtoolApartFromItsCounterHelpLimitation(PrometheusHttpServer server) throws Exception {
        String text = scrape(server, "application/openmetrics-text; version=1.0.0");
        assertTrue(text.endsWith("# EOF\n"));
        assertTrue(text.contains("# TYPE example_window_seconds summary\n"), text);
        assertTrue(text.contains("otel_metric_overflow=\"true\""), text);
        String[] result = promtool(text);
        assertTrue(result[0].equals("0") || result[0].equals("3"), "exit " + result[0] + ":\n" + result[1]);
        Pattern counterHelp = Pattern.compile("(\\S+)_total no help text");
        for (String line : result[1].split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Matcher matcher = counterHelp.matcher(line.trim());
            assertTrue(matcher.matches(), "unexpected promtool report: " + line + "\non:\n" + text);
            String family = matcher.group(1);
            assertTrue(text.contains("# TYPE " + family + " counter\n") && text.contains("# HELP " + family + " "),
                    "promtool's report is about a counter that has help in OpenMetrics: " + line);
        }
    }
}
