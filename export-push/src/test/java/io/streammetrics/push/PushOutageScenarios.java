package io.streammetrics.push;

import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.Timer;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.MetricsSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The outage tests every push exporter must pass against its real database, written once: the receiver down at
 * start, killed (SIGKILL) and restarted mid-run, answering 503 and 429 (through a {@link ScriptedReceiver} in front
 * of it), and hanging. Throughout, a thread records on the engine; failures must be counted, recording must go on
 * and lose nothing, and after recovery the database must hold the engine's totals. A module's IT extends this with
 * its exporter, its database and how that database is queried.
 */
public abstract class PushOutageScenarios {
    /** The real database: startable, killable, with its write URL and a way to query the test's totals. */
    public interface Database extends AutoCloseable {
        void start() throws Exception;

        void kill() throws Exception;

        /** The URL the exporter writes to. */
        String writeUrl();

        /**
         * What the database must hold for the scenario's series, as queries of its own language: the counter
         * {@code outage_events} and the timer {@code outage_latency} (count and sum in seconds).
         */
        Expected expected(double events, long latencyCount, double latencySumSeconds);

        /** Runs one of the {@link #expected} queries: its single value, NaN when there is none. */
        double value(String query) throws IOException, InterruptedException;
    }

    /** The exporter's label in the self-metrics. */
    protected abstract String exporterName();

    /** Builds the module's exporter for {@code engine}, pushing to {@code url} every {@code interval}. */
    protected abstract PushExporter exporter(MetricsEngine engine, String url, Duration interval);

    /** A new, not yet started database. */
    protected abstract Database database() throws Exception;

    private final MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).build().start();
    private final Counter events = engine.counter("outage_events").register().labels();
    private final Timer latency = engine.timer("outage_latency").register().labels();
    private final PushCounts counts = new PushCounts(engine, exporterName());
    private final AtomicBoolean recording = new AtomicBoolean(true);
    private final AtomicLong recorded = new AtomicLong();
    private Thread recorder;
    private Database database;
    private PushExporter exporter;
    private ScriptedReceiver receiver;

    @AfterEach
    void tearDown() throws Exception {
        stopRecording();
        if (exporter != null) {
            exporter.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (database != null) {
            database.close();
        }
        engine.close();
    }

    /** A thread recording one event and one latency at a time, a little slower than flat out. */
    private void startRecording() {
        recorder = new Thread(() -> {
            long n = 0;
            while (recording.get()) {
                events.increment();
                latency.record(1_000 + (n % 1_000) * 1_000);
                n++;
                recorded.set(n);
                if (n % 1_000 == 0) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, "outage-recorder");
        recorder.start();
    }

    private void stopRecording() throws InterruptedException {
        recording.set(false);
        if (recorder != null) {
            recorder.join();
        }
    }

    /** Waits until the recorder has recorded more than it had: recording goes on during the outage. */
    private void awaitRecordingProgress(String phase) throws InterruptedException {
        long before = recorded.get();
        Poll.until(() -> recorded.get() > before + 1_000, "recording to go on while " + phase);
    }

    private void assertTotalsStored(String phase) throws Exception {
        stopRecording();
        assertTrue(exporter.flush(Duration.ofSeconds(30)), "a push after recovery is taken (" + phase + ")");
        MetricsSnapshot snapshot = engine.snapshot();
        double total = ((CounterPoint) snapshot.family("outage_events").point()).value();
        HistogramPoint timer = (HistogramPoint) snapshot.family("outage_latency").point();
        assertEquals((double) recorded.get(), total, "every recorded event is in the engine");
        assertEquals(recorded.get(), timer.count());
        database.expected(total, timer.count(), timer.sum() / 1e9).assertStored(database::value,
                "the database after " + phase);
    }

    @Test
    void downAtStartThenKilledAndRestartedMidRun() throws Exception {
        database = database();
        exporter = exporter(engine, database.writeUrl(), Duration.ofMillis(300));
        startRecording();

        // Down at start: nothing listens on the port yet.
        Poll.until(() -> counts.requests("retry") >= 3 && counts.samples("failed") > 0,
                "failed pushes to be retried, then given up and counted, while the database is down");
        awaitRecordingProgress("the database is down at start");
        assertEquals(0, counts.samples("sent"));

        database.start();
        Poll.until(() -> counts.samples("sent") > 0, "pushes to get through once the database is up");

        database.kill();
        double retries = counts.requests("retry");
        double failed = counts.samples("failed");
        Poll.until(() -> counts.requests("retry") >= retries + 3 && counts.samples("failed") > failed,
                "failures to be counted after the kill");
        awaitRecordingProgress("the database is killed");

        double sent = counts.samples("sent");
        database.start();
        Poll.until(() -> counts.samples("sent") > sent, "pushes to get through after the restart");
        assertTotalsStored("a kill and restart");
        assertEquals(0, counts.samples("dropped"), "nothing rejected");
    }

    @Test
    void answers503And429AreRetriedCountedAndRecovered() throws Exception {
        database = database();
        database.start();
        receiver = new ScriptedReceiver().answer(503);
        exporter = exporter(engine, receiver.url(pathOf(database.writeUrl())), Duration.ofMillis(300));
        startRecording();

        Poll.until(() -> counts.requests("retry") >= 3 && counts.samples("failed") > 0, "503s to be retried and counted");
        awaitRecordingProgress("the database answers 503");
        receiver.answer(429, "1");
        int before = receiver.count();
        Poll.until(() -> receiver.count() >= before + 2, "429s to be retried");
        awaitRecordingProgress("the database answers 429");
        assertEquals(0, counts.samples("sent"));

        receiver.forwardTo(baseOf(database.writeUrl()));
        Poll.until(() -> counts.samples("sent") > 0, "pushes to get through once the database answers again");
        assertTotalsStored("503 and 429 answers");
        assertEquals(0, counts.samples("dropped"), "nothing rejected");
        for (ScriptedReceiver.Received request : receiver.received()) {
            if (request.status() == 429) {
                return;
            }
        }
        throw new AssertionError("no request was answered 429");
    }

    /**
     * While the exporter's thread is stuck in a request the receiver does not answer, another thread records a
     * million events and timer values: every one of them lands, and the push is still stuck when the recording
     * ends, so recording did not wait for it.
     */
    @Test
    void aHungReceiverDoesNotHoldUpRecording() throws Exception {
        receiver = new ScriptedReceiver();
        receiver.hang();
        exporter = exporter(engine, receiver.url("/write"), Duration.ofMillis(50));
        Poll.until(() -> receiver.held() >= 1, "a push to hang in the receiver");
        int n = 1_000_000;
        for (int i = 0; i < n; i++) {
            events.increment();
            latency.record(1_000 + i);
        }
        assertTrue(receiver.held() >= 1, "the push is still hanging after the recording");
        assertEquals(0, receiver.count(), "no push has been answered");
        MetricsSnapshot snapshot = engine.snapshot();
        assertEquals(n, ((CounterPoint) snapshot.family("outage_events").point()).value());
        assertEquals(n, ((HistogramPoint) snapshot.family("outage_latency").point()).count());
        receiver.release();
    }

    private static String pathOf(String url) {
        URI uri = URI.create(url);
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    private static String baseOf(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getAuthority();
    }
}
