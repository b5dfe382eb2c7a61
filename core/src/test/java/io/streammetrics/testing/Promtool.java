package io.streammetrics.testing;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The real {@code promtool check metrics} (from {@link TestServers}) run on an exposition. */
public final class Promtool {
    private Promtool() {
    }

    /**
     * What promtool said.
     *
     * @param exitCode 0 when the text parses and lints clean, 3 for lint problems, 1 for a parse error
     * @param output   its standard output and error
     */
    public record Result(int exitCode, String output) {
    }

    /** Runs {@code promtool check metrics} with {@code exposition} on its standard input. */
    public static Result checkMetrics(String exposition) throws Exception {
        Path promtool = TestServers.path("PROMTOOL");
        Process process = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("promtool did not finish within 30 s");
        }
        return new Result(process.exitValue(), output);
    }
}
