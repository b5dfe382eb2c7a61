package io.streammetrics.examples;

import io.streammetrics.console.BrowserSession;
import io.streammetrics.json.JsonReader;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quick-start's console in a real headless Chromium during the trouble window: the page shows the high-latency
 * alert firing and the spike in the enrich stage's heatmap, without a JavaScript error, and the test takes the
 * README's screenshot: always to {@code target/console.png}; to regenerate {@code docs/console.png}, run
 * <pre>{@code
 * ./mvnw -B verify -pl examples -am -Dit.test=QuickStartConsoleIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dstreammetrics.console.screenshot=$PWD/docs/console.png
 * }</pre>
 */
class QuickStartConsoleIT {
    /** The README shows it: a page of the repository, not a download. */
    static final long MAX_SCREENSHOT_BYTES = 300 * 1024;
    private static final String PASSWORD = "quick-start-secret";

    @Test
    void duringTheTroubleWindowTheConsoleShowsTheFiringAlertAndTheSpike() throws Exception {
        QuickStartOptions options = QuickStartOptions.parse("--port", "0", "--rate", "20000",
                "--trouble-at", "8s", "--trouble-for", "40s", "--basic-auth", "ops:" + PASSWORD);
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (QuickStartRun run = QuickStartRun.start(options, Map.of(), lines::add);
             BrowserSession browser = BrowserSession.startWithAuthorization("Basic " + Base64.getEncoder()
                     .encodeToString(("ops:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))) {
            assertTrue(lines.get(2).endsWith("the browser asks for user 'ops' and the password given)"), lines.get(2));
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + run.port();
            for (String path : List.of("/", "/console/", "/console/console.js", "/console/api/update", "/api/alerts")) {
                assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode(), "without the credentials: " + path);
            }
            browser.driver.get(base + "/console/");
            browser.await(60, d -> d.findElements(By.cssSelector("#alerts tbody tr")).stream()
                    .anyMatch(row -> row.getText().contains("HighLatency") && row.getText().contains("firing")));
            // The enrich stage's 150-400 ms lookups: counts in the heatmap's half-octave rows from 128 ms up
            // (row r starts at 2^(5 + r/2) ns).
            int low = (int) Math.floor(2 * Math.log(128e6) / Math.log(2)) - 10;
            browser.await(20, d -> (Boolean) browser.js("""
                    const view = window.streammetricsConsole.heatmaps.get('stream_processing_latency_seconds');
                    return view !== undefined && view.cells.slice(-3).some(c => {
                      for (let i = 0; i < c.length; i += 2) if (c[i] >= arguments[0]) return true;
                      return false;
                    });""", low));
            Thread.sleep(4_000);        // a few more seconds of the trouble on the charts
            List<LogEntry> problems = browser.consoleEntries().stream()
                    .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue()).toList();
            assertEquals(List.of(), problems.stream().map(LogEntry::getMessage).toList(), "browser console");

            byte[] png = browser.driver.getScreenshotAs(OutputType.BYTES);
            Path target = Path.of("target", "console.png");
            Files.write(target, png);
            assertTrue(png.length < MAX_SCREENSHOT_BYTES, "screenshot of " + png.length + " bytes");
            String destination = System.getProperty("streammetrics.console.screenshot");
            if (destination != null && !destination.isBlank()) {
                Files.write(Path.of(destination), png);
            }

            // With the credentials the browser holds, acknowledging from the page goes through.
            WebElement row = browser.await(10, d -> d.findElements(By.cssSelector("#alerts tbody tr")).stream()
                    .filter(r -> r.getText().contains("HighLatency")).findFirst().orElse(null));
            String alertId = row.getAttribute("data-alert-id");
            row.findElement(By.cssSelector("button.ack")).click();
            String authorization = "Basic " + Base64.getEncoder().encodeToString(("ops:" + PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            browser.await(10, d -> {
                try {
                    String alerts = http.send(HttpRequest.newBuilder(URI.create(base + "/api/alerts"))
                            .header("Authorization", authorization).build(), HttpResponse.BodyHandlers.ofString()).body();
                    return ((List<?>) ((Map<?, ?>) JsonReader.parse(alerts)).get("active")).stream()
                            .map(a -> (Map<?, ?>) a)
                            .anyMatch(a -> alertId.equals(a.get("id")) && "console".equals(a.get("acknowledgedBy")));
                } catch (IOException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
        }
    }
}
