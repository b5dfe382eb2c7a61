package io.streammetrics.console;

import io.streammetrics.testing.TestServers;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * A headless Debian Chromium driven through Debian's chromedriver (both from {@code tools/install-chromium.sh}, named
 * in the tools env file), so that Selenium Manager never downloads a browser or a driver. Started with the flags this
 * sandbox needs (no sandbox as root, no GPU, no background networking towards hosts that cannot be reached) and a
 * fresh profile, which is deleted on {@link #close()}.
 */
public final class BrowserSession implements AutoCloseable {
    /** The driver, for the test to use. */
    public final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;

    private BrowserSession(ChromeDriver driver, ChromeDriverService service, Path profile) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
    }

    /** Starts a browser whose every request carries {@code Authorization: Bearer token} (null: none). */
    public static BrowserSession start(String bearerToken) throws IOException {
        return startWithAuthorization(bearerToken == null ? null : "Bearer " + bearerToken);
    }

    /**
     * Starts a browser whose every request carries {@code Authorization: authorization} (null: none), e.g.
     * {@code Basic b3BzOnNlY3JldA==}: what the browser sends itself once the user typed basic credentials.
     */
    public static BrowserSession startWithAuthorization(String authorization) throws IOException {
        Path chromium = TestServers.path("CHROMIUM");
        Path chromedriver = TestServers.path("CHROMEDRIVER");
        Path profile = Files.createTempDirectory("streammetrics-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1800", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            deleteTree(profile);
            throw e;
        }
        if (authorization != null) {
            // What a reverse proxy or a header extension does: the browser cannot send a bearer token on its own.
            driver.executeCdpCommand("Network.enable", Map.of());
            driver.executeCdpCommand("Network.setExtraHTTPHeaders",
                    Map.of("headers", Map.of("Authorization", authorization)));
        }
        return new BrowserSession(driver, service, profile);
    }

    /** Runs {@code script} in the page and returns its result. */
    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Waits up to {@code seconds} for {@code condition} to return non-null and non-false. */
    public <T> T await(int seconds, Function<ChromeDriver, T> condition) {
        // The page re-renders every second: an element found a moment ago may be gone; look again.
        return new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(50))
                .ignoring(StaleElementReferenceException.class)
                .until(d -> condition.apply((ChromeDriver) d));
    }

    /** The browser console's entries since the last call. */
    public List<LogEntry> consoleEntries() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temporary profile left behind is harmless.
        }
    }
}
