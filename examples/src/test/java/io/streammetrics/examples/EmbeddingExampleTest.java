package io.streammetrics.examples;

import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.MetricsSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's example runs and records what it says; the quick-start runs and reports. */
class EmbeddingExampleTest {
    @Test
    void readmeExampleRecordsEveryValue() {
        MetricsSnapshot snapshot = EmbeddingExample.run();
        CounterPoint processed = (CounterPoint) snapshot.family("stream_records_processed").point("parse");
        HistogramPoint latency = (HistogramPoint) snapshot.family("stream_processing_latency").point("parse");
        assertEquals(1_000, processed.longValue());
        assertEquals(1_000, latency.count());
    }

    @Test
    void quickStartServesMetricsWhileItRuns() throws Exception {
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread runner = new Thread(() -> {
            try {
                QuickStart.run(Duration.ofSeconds(3), 0, "127.0.0.1", lines::add);
            } catch (Exception e) {
                lines.add("failed: " + e);
            }
        });
        runner.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (lines.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        String first = lines.get(0);
        assertTrue(first.startsWith("serving http://127.0.0.1:"), first);
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(first.substring("serving ".length()))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("stream_records_processed_total{pipeline=\"demo\",stage=\"parse\"}"),
                response.body());
        assertTrue(response.body().contains("stream_processing_latency_seconds"), response.body());
        runner.join();
    }

    @Test
    void quickStartRunsForItsDurationAndPrintsAFinalSummary() throws Exception {
        List<String> lines = new ArrayList<>();
        QuickStart.run(Duration.ofMillis(1500), 0, "127.0.0.1", lines::add);
        assertTrue(lines.size() >= 2, lines.toString());
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("final: records="), last);
        assertTrue(!last.startsWith("final: records=0 "), last);
    }

    @Test
    void durationsParseOrFailWithTheBadValue() {
        assertEquals(Duration.ofSeconds(60), QuickStart.parseDuration("60s"));
        assertEquals(Duration.ofMillis(500), QuickStart.parseDuration("500ms"));
        assertEquals(Duration.ofMinutes(2), QuickStart.parseDuration("2m"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuickStart.parseDuration("soon"));
        assertTrue(e.getMessage().contains("soon"));
    }
}
