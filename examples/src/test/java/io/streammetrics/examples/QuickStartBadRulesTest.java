package io.streammetrics.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quick-start's {@code --rules} with a hostile file, run as a user runs it (its own JVM): exit code 2, as
 * documented for bad rules, and one line on stderr naming the file and line, never a stack trace (issue 15 item 7).
 */
class QuickStartBadRulesTest {
    @TempDir
    Path dir;

    private record Exit(int code, List<String> stderr) {
    }

    private Exit run(Path rules) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path err = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(java, "-Xss512k", "--add-exports",
                "java.base/jdk.internal.misc=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                QuickStart.class.getName(), "--port", "0", "--duration", "1s", "--rules", rules.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the quick-start did not exit");
        return new Exit(process.exitValue(), Files.readAllLines(err, StandardCharsets.UTF_8));
    }

    @Test
    void aRuleFileNestedTooDeeplyExitsWith2AndOneLineNamingFileAndLine() throws Exception {
        Path rules = Files.writeString(dir.resolve("deep.yaml"), "groups:\n  - name: g\n    rules:\n"
                + "      - alert: Deep\n        expr: '" + "(".repeat(10_000) + "x" + ")".repeat(10_000) + " > 1'\n");
        Exit exit = run(rules);
        assertEquals(2, exit.code(), () -> String.join("\n", exit.stderr().subList(0, Math.min(5, exit.stderr().size()))));
        assertEquals(1, exit.stderr().size(), () -> exit.stderr().size() + " lines, first: " + exit.stderr().get(0));
        String line = exit.stderr().get(0);
        assertTrue(line.startsWith("error: " + rules + ":5: "), line);
        assertTrue(line.contains("rule 'Deep'") && line.contains("nested deeper than"), line);
        assertTrue(line.length() < 400, line);
    }

    /** Issue 18 item 5: the quick-start evaluates every second, so it refuses a 'for' it cannot honour, by line. */
    @Test
    void aForShorterThanTheEvaluationIntervalExitsWith2NamingTheLine() throws Exception {
        Path rules = Files.writeString(dir.resolve("fast.yaml"), "groups:\n  - name: g\n    rules:\n"
                + "      - alert: Fast\n        expr: x > 1\n        for: 500ms\n");
        Exit exit = run(rules);
        assertEquals(2, exit.code());
        assertEquals(1, exit.stderr().size(), () -> String.join("\n", exit.stderr()));
        String line = exit.stderr().get(0);
        assertTrue(line.startsWith("error: " + rules + ":6: 'for' of rule 'Fast' (500ms) is shorter than the"
                + " evaluation interval (1s)"), line);
    }

    @Test
    void yamlNestedTooDeeplyExitsWith2() throws Exception {
        Path rules = Files.writeString(dir.resolve("flow.yaml"),
                "groups: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n");
        Exit exit = run(rules);
        assertEquals(2, exit.code());
        assertEquals(List.of("error: " + rules + ":1: YAML nested deeper than 32 levels (a rule file needs fewer than 10)"),
                exit.stderr());
    }
}
