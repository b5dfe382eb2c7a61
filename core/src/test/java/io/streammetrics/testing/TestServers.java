package io.streammetrics.testing;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Paths of the real test servers, from the env file that failsafe names in {@code streammetrics.tools.env}, or from
 * a {@code *.env} file beside it written by one of the scripts {@code tools/fetch-test-servers.sh} runs (for
 * example {@code chromium.env}: CHROMIUM, CHROMEDRIVER).
 */
public final class TestServers {
    private TestServers() {
    }

    /** The absolute path of {@code key} (PROMETHEUS, PROMTOOL, ...); fails the test when it is not installed. */
    public static Path path(String key) throws IOException {
        Path path = file(key);
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException(key + " (" + path + ") is not executable: run tools/fetch-test-servers.sh");
        }
        return path;
    }

    /**
     * The absolute path of the file {@code key} names (QUESTDB_JAR, ALERTMANAGER_TEMPLATE, ...), which need not be
     * executable; fails the test when it is not installed.
     */
    public static Path file(String key) throws IOException {
        String envFile = System.getProperty("streammetrics.tools.env");
        if (envFile == null) {
            throw new IllegalStateException("system property streammetrics.tools.env is not set: run through failsafe "
                    + "(./mvnw verify) or pass -Dstreammetrics.tools.env=<tools dir>/env");
        }
        Properties env = new Properties();
        Path main = Path.of(envFile);
        load(env, main);
        if (env.getProperty(key) == null && main.getParent() != null && Files.isDirectory(main.getParent())) {
            try (DirectoryStream<Path> others = Files.newDirectoryStream(main.getParent(), "*.env")) {
                for (Path other : others) {
                    load(env, other);
                }
            }
        }
        String value = env.getProperty(key);
        if (value == null || !Files.isRegularFile(Path.of(value))) {
            throw new IllegalStateException(key + " is not installed (env file " + envFile + "): run tools/fetch-test-servers.sh");
        }
        return Path.of(value);
    }

    private static void load(Properties env, Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            env.load(reader);
        }
    }
}
