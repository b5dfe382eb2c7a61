package io.streammetrics.exemplar;

import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Histogram;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, item 3: without the OpenTelemetry API on the classpath nothing changes and no class of it is loaded. A
 * child JVM runs {@link Main} on this test's classpath less every OpenTelemetry jar, with {@code -verbose:class}:
 * the engine records (the explicit exemplar form included), no {@code io.opentelemetry} class appears in the class
 * loading log, and asking for the automatic form fails at build with a message naming the missing API.
 */
class WithoutOpenTelemetryTest {
    /** Runs in the child JVM. */
    public static final class Main {
        public static void main(String[] args) {
            try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).build().start()) {
                Histogram h = engine.histogram("child_sizes").register().labels();
                h.record(5);
                h.recordWithExemplar(7, 1, 2, 3);
                engine.counter("child_events").register().labels().increment();
                engine.timer("child_latency").register().labels().record(1_000);
                System.out.println("RECORDED " + engine.snapshot().family("child_sizes").points().get(0));
            }
            try {
                MetricsEngine.builder().jvmMetrics(false).exemplarsFromOpenTelemetry(true).build().close();
                System.out.println("BUILT WITHOUT API");
            } catch (IllegalStateException e) {
                System.out.println("REFUSED " + e.getMessage());
            }
        }
    }

    @Test
    void withoutTheApiNothingChangesAndNoClassOfItIsLoaded() throws Exception {
        String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("opentelemetry"))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(
                new File(System.getProperty("java.home"), "bin/java").getPath(),
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-verbose:class", "-cp", classPath, Main.class.getName()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM ended");
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("RECORDED HistogramPoint[][count=2"), output);
        assertTrue(output.contains("REFUSED exemplarsFromOpenTelemetry(true) needs the OpenTelemetry API"),
                () -> output.lines().filter(l -> !l.startsWith("[")).collect(Collectors.joining("\n")));
        assertTrue(output.contains("io.streammetrics.metric.Histogram"), "the class log is on");
        // -verbose:class lines: "[0.123s][info][class,load] name source: ...".
        List<String> loaded = output.lines().filter(line -> line.startsWith("[") && (line.contains("io.opentelemetry")
                || line.contains("OpenTelemetryCurrentSpan"))).toList();
        assertFalse(!loaded.isEmpty(), "OpenTelemetry classes loaded: " + loaded);
    }
}
