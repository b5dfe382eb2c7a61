package io.streammetrics.internal.store;

import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Counter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code storeFile(path)} on a path that already holds a store (issue 15, item 5): a file whose writer is gone (closed
 * cleanly, or killed) is replaced; one whose writer is alive, in this process or another, is refused with a message
 * that says so; a file that is not a store is not overwritten.
 */
class StoreFileRestartTest {
    @TempDir
    Path dir;

    private static MetricsEngine engine(Path file) {
        return MetricsEngine.builder().jvmMetrics(false).storeFile(file).build().start();
    }

    private static List<String> userSeries(Path file) {
        try (StoreReader reader = StoreReader.open(file.toFile())) {
            return reader.series().stream().filter(s -> !s.name().startsWith("streammetrics_"))
                    .map(s -> s.name() + "=" + s.value()).collect(Collectors.toList());
        }
    }

    @Test
    void aStoreFileClosedCleanlyIsReplacedOnRestart() {
        Path file = dir.resolve("metrics.store");
        try (MetricsEngine first = engine(file)) {
            first.counter("first_total").register().labels().add(3);
            first.snapshot();
        }
        assertEquals(List.of("first=3.0"), userSeries(file));
        try (MetricsEngine second = engine(file)) {
            Counter counter = second.counter("second_total").register().labels();
            counter.add(5);
            second.snapshot();
            assertEquals(List.of("second=5.0"), userSeries(file), "the restarted engine's store, from the start");
            try (StoreReader reader = StoreReader.open(file.toFile())) {
                assertFalse(reader.isClosed());
                assertEquals(ProcessHandle.current().pid(), reader.writerPid());
            }
        }
    }

    @Test
    void aStoreFileInUseByALiveEngineOfThisProcessIsRefused() {
        Path file = dir.resolve("metrics.store");
        try (MetricsEngine live = engine(file)) {
            live.counter("live_total").register().labels().increment();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> MetricsEngine.builder().jvmMetrics(false).storeFile(file).build());
            assertTrue(e.getMessage().contains("in use by a live writer"), e.getMessage());
            assertTrue(e.getMessage().contains("process " + ProcessHandle.current().pid()), e.getMessage());
            assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
            // The refused engine took nothing from the live one.
            live.snapshot();
            assertEquals(List.of("live=1.0"), userSeries(file));
        }
        try (MetricsEngine after = engine(file)) {
            assertEquals(List.of(), userSeries(file), "once closed, the file is free again");
        }
    }

    @Test
    void aStoreFileOfAnotherLiveProcessIsRefusedAndReplacedOnceItIsKilled() throws Exception {
        Path file = dir.resolve("metrics.store");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process writer = new ProcessBuilder(java, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), StoreWriterProcess.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertEquals("ready", line, "the writer process did not start");
            assertEquals(List.of("child=7.0"), userSeries(file));

            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> MetricsEngine.builder().jvmMetrics(false).storeFile(file).build());
            assertTrue(e.getMessage().contains("in use by a live writer (process " + writer.pid()), e.getMessage());
        } finally {
            writer.destroyForcibly(); // SIGKILL: no close(), no shutdown hook
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
        }
        try (MetricsEngine restarted = engine(file)) {
            restarted.counter("parent_total").register().labels().add(2);
            restarted.snapshot();
            assertEquals(List.of("parent=2.0"), userSeries(file));
        }
    }

    @Test
    void aFileThatIsNotAStoreIsNotOverwritten() throws Exception {
        Path file = dir.resolve("notes.txt");
        byte[] content = "not a metrics store, keep me\n".getBytes(StandardCharsets.UTF_8);
        Files.write(file, content);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MetricsEngine.builder().jvmMetrics(false).storeFile(file).build());
        assertTrue(e.getMessage().contains("is not a streammetrics store"), e.getMessage());
        assertArrayEquals(content, Files.readAllBytes(file));
    }

    @Test
    void anEmptyOrUnfinishedFileIsReplaced() throws Exception {
        Path file = dir.resolve("metrics.store");
        // What a writer killed before it wrote its magic number (the header's last write) leaves behind.
        Files.write(file, new byte[4096]);
        try (MetricsEngine engine = engine(file)) {
            engine.counter("fresh_total").register().labels().increment();
            engine.snapshot();
            assertEquals(List.of("fresh=1.0"), userSeries(file));
        }
        assertFalse(Files.list(dir).anyMatch(p -> p.getFileName().toString().contains(".new-")),
                "no temporary file left behind");
    }

    /** A second JVM's writer: builds an engine on the given store file, records, says "ready" and waits to be killed. */
    public static final class StoreWriterProcess {
        private StoreWriterProcess() {
        }

        public static void main(String[] args) throws Exception {
            MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).storeFile(Path.of(args[0])).build().start();
            engine.counter("child_total").register().labels().add(7);
            engine.snapshot();
            System.out.println("ready");
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }
}
