package io.streammetrics.internal.store;

import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.Gauge;
import io.streammetrics.metric.Histogram;
import io.streammetrics.metric.Timer;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.FamilySnapshot;
import io.streammetrics.snapshot.GaugePoint;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.snapshot.SeriesPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static io.streammetrics.EngineTestSupport.visitFamily;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A second JVM opens the memory-mapped store with {@link StoreReader} and sees what the writer's snapshot holds. */
class StoreReaderForkTest {
    @TempDir
    Path dir;

    @Test
    void forkedReaderSeesTheWritersValues() throws Exception {
        Path file = dir.resolve("metrics.store");
        try (MetricsEngine engine = MetricsEngine.builder().storeFile(file).backPressure(io.streammetrics.BackPressure.BLOCK).build().start()) {
            Counter parsed = engine.counter("records_total").help("Records.").labelNames("stage", "note")
                    .register().labels("parse", "quote \" back\\slash\nnewline ünïcødé");
            Counter emitted = engine.counter("records_total").labelNames("stage", "note").register().labels("emit", "");
            Gauge queue = engine.gauge("queue_size").help("Queue.").register().labels();
            Histogram sizes = engine.histogram("record_bytes").labelNames("stage").register().labels("parse");
            Timer latency = engine.timer("latency").register().labels();
            for (int i = 0; i < 10_000; i++) {
                parsed.increment();
                emitted.add(2);
                sizes.record(100 + i % 900);
                latency.record(1_000L * (i + 1));
            }
            parsed.add(0.5);
            queue.set(-12.25);
            // A snapshot waits for the aggregator to apply everything recorded before it (events and counter cells).
            String expected = render(engine.snapshot());
            String forked = runReaderInAnotherJvm(file);
            assertEquals(expected, userSeries(forked));

            try (StoreReader reader = StoreReader.open(file.toFile())) {
                assertEquals(ProcessHandle.current().pid(), reader.writerPid());
                assertTrue(reader.series().stream().allMatch(StoreReader.Series::consistent));
                assertSameClassicCounts(engine, reader, "record_bytes");
                assertSameClassicCounts(engine, reader, "latency");
            }
        }
        String afterClose = runReaderInAnotherJvm(file);
        assertTrue(afterClose.contains("records{stage=\"emit\",note=\"\"} 20000.0"), afterClose);
        try (StoreReader reader = StoreReader.open(file.toFile())) {
            assertTrue(reader.isClosed());
        }
    }

    /** The reader finds a histogram family's classic bounds and counts as the engine keeps them. */
    private static void assertSameClassicCounts(MetricsEngine engine, StoreReader reader, String name) {
        List<double[]> bounds = new ArrayList<>();
        List<long[]> counts = new ArrayList<>();
        visitFamily(engine, name, cursor -> {
            bounds.add(cursor.series().family().classicUpperBounds());
            counts.add(classicCounts(cursor.classicHistogram()));
        });
        StoreReader.Series series = reader.series().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow();
        assertArrayEquals(bounds.get(0), series.classicUpperBounds(), name);
        long[] read = classicCounts(series.classic());
        assertArrayEquals(counts.get(0), read, name);
        assertEquals(10_000, LongStream.of(read).sum(), name);
    }

    private static long[] classicCounts(ClassicReading reading) {
        long[] counts = new long[reading.boundCount() + 1];
        for (int k = 0; k < counts.length; k++) {
            counts[k] = reading.bucketCount(k);
        }
        return counts;
    }

    @Test
    void rejectsAFileThatIsNotAStore() throws IOException {
        Path file = dir.resolve("not-a-store");
        java.nio.file.Files.write(file, new byte[8192]);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> StoreReader.open(file.toFile()));
        assertTrue(e.getMessage().contains("not a streammetrics store"), e.getMessage());
    }

    /** The writer's snapshot of the user's series, in StoreReader's line format. */
    private static String render(MetricsSnapshot snapshot) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Set<String> lines = new TreeSet<>();
        for (FamilySnapshot family : snapshot.families()) {
            if (family.name().startsWith("streammetrics_")) {
                continue;
            }
            for (SeriesPoint point : family.points()) {
                StringBuilder line = new StringBuilder(family.name());
                if (!family.labelNames().isEmpty()) {
                    line.append('{');
                    for (int i = 0; i < family.labelNames().size(); i++) {
                        line.append(i == 0 ? "" : ",").append(family.labelNames().get(i)).append("=\"")
                                .append(point.labelValues().get(i).replace("\\", "\\\\").replace("\"", "\\\"")
                                        .replace("\n", "\\n")).append('"');
                    }
                    line.append('}');
                }
                line.append(' ');
                if (point instanceof CounterPoint) {
                    line.append(((CounterPoint) point).value());
                } else if (point instanceof GaugePoint) {
                    line.append(((GaugePoint) point).value());
                } else {
                    HistogramPoint h = (HistogramPoint) point;
                    line.append("count=").append(h.count()).append(" sum=").append(h.sum()).append(" min=")
                            .append(h.min()).append(" max=").append(h.max());
                }
                lines.add(line.toString());
            }
        }
        lines.forEach(out::println);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String userSeries(String readerOutput) {
        Set<String> lines = new TreeSet<>();
        for (String line : readerOutput.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("streammetrics_")) {
                lines.add(line);
            }
        }
        StringBuilder out = new StringBuilder();
        lines.forEach(line -> out.append(line).append(System.lineSeparator()));
        return out.toString();
    }

    private static String runReaderInAnotherJvm(Path file) throws IOException, InterruptedException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-Dfile.encoding=UTF-8", "-Dstdout.encoding=UTF-8",
                "-cp", System.getProperty("java.class.path"), StoreReader.class.getName(), file.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "reader JVM did not finish");
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), text);
        return text;
    }
}
