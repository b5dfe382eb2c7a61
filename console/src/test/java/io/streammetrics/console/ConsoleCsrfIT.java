package io.streammetrics.console;

import com.sun.net.httpserver.HttpServer;
import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.alert.AlertEvaluator;
import io.streammetrics.alert.config.RuleFile;
import io.streammetrics.dashboard.Dashboard;
import io.streammetrics.json.JsonReader;
import io.streammetrics.prometheus.PrometheusHttpServer;
import io.streammetrics.operator.OperatorApi;
import io.streammetrics.testing.TestClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's writes (acknowledge, silence, expire) are safe from other sites, in a real headless Chromium: a write
 * without the header a cross-site form cannot send ({@code Content-Type: application/json}) is refused even from the
 * console's own page, and a page served from another origin (a second server on another port of 127.0.0.1) cannot
 * silence, acknowledge or expire, by form or by fetch, although the browser attaches the credentials to its requests
 * (as it does with basic authentication it remembers): {@code /api/silences} and the alert are unchanged afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleCsrfIT {
    private static final String TOKEN = "csrf-test-token";
    private static final String RULES = """
            groups:
              - name: csrf
                rules:
                  - alert: DeepQueue
                    expr: last(queue_depth) > 10
                    labels: {severity: critical}
            """;
    private static final String SILENCE = "{\"matchers\":[{\"name\":\"alertname\",\"value\":\"DeepQueue\","
            + "\"isRegex\":false,\"isEqual\":true}],\"duration\":\"1h\",\"createdBy\":\"mallory\",\"comment\":\"%s\"}";

    private final HttpClient http = HttpClient.newHttpClient();
    private final TestClock clock = new TestClock(System.currentTimeMillis());
    private MetricsEngine engine;
    private AlertEvaluator evaluator;
    private Dashboard dashboard;
    private Console console;
    private PrometheusHttpServer server;
    private HttpServer otherSite;
    private BrowserSession browser;
    private String alertId;
    private String silenceId;

    @BeforeAll
    void start() throws Exception {
        engine = MetricsEngine.builder().backPressure(BackPressure.BLOCK).jvmMetrics(false).build().start();
        engine.gauge("queue_depth").help("Records waiting.").register().labels().set(25);
        AlertEvaluator.Builder rules = AlertEvaluator.builder().engine(engine);
        RuleFile.parse(Path.of("csrf-rules.yaml"), RULES).forEach(rules::ruleGroup);
        evaluator = rules.build();
        dashboard = Dashboard.builder(engine).clock(clock).alerts(evaluator::activeAlerts).build();
        console = Console.builder(dashboard).build();
        server = PrometheusHttpServer.builder(engine).port(0).bearerToken(TOKEN).build();
        OperatorApi.builder(evaluator).dashboard(dashboard).build().mount(server);
        console.mount(server);
        evaluator.evaluateOnce();
        dashboard.refresh();
        alertId = (String) ((Map<?, ?>) activeAlerts().get(0)).get("id");
        // A silence made by the operator (JSON, no Origin: not a browser), for the other site to try to expire.
        HttpResponse<String> created = send("POST", "/api/silences", SILENCE.formatted("operator's"),
                Map.of("Content-Type", "application/json"));
        assertEquals(201, created.statusCode(), created.body());
        silenceId = (String) ((Map<?, ?>) JsonReader.parse(created.body())).get("id");

        otherSite = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        otherSite.createContext("/", exchange -> {
            byte[] page = otherSitePage().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
            exchange.close();
        });
        otherSite.start();
        // Every request of this browser carries the token, those of the other site's page included: only the CSRF
        // defence can stop them.
        browser = BrowserSession.start(TOKEN);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (otherSite != null) {
            otherSite.stop(0);
        }
        server.close();
        console.close();
        dashboard.close();
        evaluator.close();
        engine.close();
    }

    @Test
    void aWriteWithoutTheJsonHeaderIsRefusedEvenFromTheConsolesOwnPage() {
        List<?> silencesBefore = silences();
        browser.driver.get(url(Console.PATH));
        browser.await(15, d -> (Boolean) browser.js(
                "return window.streammetricsConsole !== undefined && window.streammetricsConsole.seq >= 0;"));
        // fetch sends a string body as text/plain, as a form would: what the page's own send() never does.
        Object statuses = browser.driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const body = arguments[0];
                Promise.all([
                  fetch('/api/silences', { method: 'POST', credentials: 'same-origin', body }),
                  fetch('/api/alerts/' + arguments[1] + '/ack', { method: 'POST', credentials: 'same-origin',
                    body: '{"by":"mallory"}' }),
                ]).then(rs => done(rs.map(r => r.status)), e => done(String(e)));""",
                SILENCE.formatted("same origin, no JSON header"), alertId);
        assertTrue(statuses instanceof List<?>, String.valueOf(statuses));
        for (Object status : (List<?>) statuses) {
            assertTrue(Set.of(403L, 415L).contains(status), "refused, not 2xx nor 401: " + statuses);
        }
        assertEquals(silencesBefore, silences(), "/api/silences unchanged");
        assertNull(((Map<?, ?>) activeAlerts().get(0)).get("acknowledgedBy"), "not acknowledged");
    }

    @Test
    void aPageFromAnotherOriginCannotSilenceAcknowledgeOrExpire() {
        List<?> silencesBefore = silences();
        browser.driver.get("http://127.0.0.1:" + otherSite.getAddress().getPort() + "/");
        browser.await(20, d -> Boolean.TRUE.equals(browser.js("return window.done === true;")));
        @SuppressWarnings("unchecked")
        Map<String, Object> results = (Map<String, Object>) browser.js("return window.results;");
        // A JSON fetch or a DELETE needs a CORS preflight, which the server never grants: the browser does not send it.
        for (String preflighted : List.of("silence json", "ack json", "expire")) {
            assertTrue(String.valueOf(results.get(preflighted)).startsWith("blocked"), preflighted + ": " + results);
        }
        // The simple requests (forms, no-cors fetches) are sent, with the credentials; their answers are opaque to
        // the page, so the server's state tells whether they were refused.
        assertEquals(silencesBefore, silences(), "/api/silences unchanged: " + results);
        assertNull(((Map<?, ?>) activeAlerts().get(0)).get("acknowledgedBy"), "not acknowledged: " + results);
    }

    @Test
    void aJsonWriteWithTheCredentialsFromAnotherOriginIsRefused() {
        List<?> silencesBefore = silences();
        String foreign = "http://127.0.0.1:" + otherSite.getAddress().getPort();
        HttpResponse<String> silence = send("POST", "/api/silences", SILENCE.formatted("foreign origin"),
                Map.of("Content-Type", "application/json", "Origin", foreign));
        assertEquals(403, silence.statusCode(), silence.body());
        HttpResponse<String> ack = send("POST", "/api/alerts/" + alertId + "/ack", "{\"by\":\"mallory\"}",
                Map.of("Content-Type", "application/json", "Origin", foreign));
        assertEquals(403, ack.statusCode(), ack.body());
        assertEquals(silencesBefore, silences());
        assertNull(((Map<?, ?>) activeAlerts().get(0)).get("acknowledgedBy"));
    }

    /** The other site: forms that post to the operator API (the classic JSON-in-text/plain trick) and fetches. */
    private String otherSitePage() {
        String api = url("/api/");
        String formSilence = SILENCE.formatted("form").replace("\"}", "\",\"x\":\"");
        return """
                <!doctype html><html><body>
                <form id="silence" method="POST" enctype="text/plain" target="sink1" action="@API@silences">
                  <input type="hidden" name='@FORM_NAME@' value='"}'></form>
                <form id="ack" method="POST" target="sink2" action="@API@alerts/@ALERT@/ack?by=mallory"></form>
                <script>
                window.results = {};
                async function attempt(name, url, init) {
                  try {
                    const r = await fetch(url, Object.assign({ credentials: 'include' }, init));
                    window.results[name] = r.type + ' ' + r.status;
                  } catch (e) {
                    window.results[name] = 'blocked: ' + e.message;
                  }
                }
                function submitted(form, frame) {
                  return new Promise((resolve) => {
                    const iframe = document.createElement('iframe');
                    iframe.name = frame;
                    document.body.appendChild(iframe);
                    iframe.onload = () => resolve();
                    document.getElementById(form).submit();
                  });
                }
                (async () => {
                  const silence = '@FETCH_BODY@';
                  const textPlain = { 'Content-Type': 'text/plain' };
                  const json = { 'Content-Type': 'application/json' };
                  await attempt('silence no-cors', '@API@silences',
                    { method: 'POST', mode: 'no-cors', headers: textPlain, body: silence });
                  await attempt('silence json', '@API@silences', { method: 'POST', headers: json, body: silence });
                  await attempt('ack no-cors', '@API@alerts/@ALERT@/ack',
                    { method: 'POST', mode: 'no-cors', headers: textPlain, body: '{"by":"mallory"}' });
                  await attempt('ack json', '@API@alerts/@ALERT@/ack',
                    { method: 'POST', headers: json, body: '{"by":"mallory"}' });
                  await attempt('expire', '@API@silences/@SILENCE_ID@', { method: 'DELETE' });
                  await submitted('silence', 'sink1');
                  await submitted('ack', 'sink2');
                  window.done = true;
                })();
                </script></body></html>"""
                .replace("@API@", api).replace("@ALERT@", alertId).replace("@SILENCE_ID@", silenceId)
                .replace("@FORM_NAME@", formSilence).replace("@FETCH_BODY@", SILENCE.formatted("fetch"));
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private List<?> activeAlerts() {
        return (List<?>) ((Map<?, ?>) JsonReader.parse(send("GET", "/api/alerts", null, Map.of()).body()))
                .get("active");
    }

    private List<?> silences() {
        return (List<?>) ((Map<?, ?>) JsonReader.parse(send("GET", "/api/silences", null, Map.of()).body()))
                .get("silences");
    }

    private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
