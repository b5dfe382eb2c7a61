package io.streammetrics.push;

import io.streammetrics.MetricsEngine;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.MetricsSnapshot;
import org.junit.jupiter.api.AfterEach;
import io.streammetrics.testing.SelfSignedTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared push loop against a scripted receiver: what is retried, dropped and counted, Retry-After, one pending
 * batch at most, the last push on close.
 */
class PushLoopTest {
    private static final int SAMPLES = 7;

    private final MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).build().start();
    private final ScriptedReceiver receiver;
    private final AtomicInteger encoded = new AtomicInteger();
    private final AtomicBoolean failEncoding = new AtomicBoolean();
    private PushLoop loop;

    PushLoopTest() throws Exception {
        receiver = new ScriptedReceiver();
    }

    @AfterEach
    void tearDown() {
        if (loop != null) {
            loop.close();
        }
        receiver.close();
        engine.close();
    }

    /** An encoder whose batches say which push they are ("push 1", "push 2", ...), of {@value #SAMPLES} samples. */
    private final PushEncoder encoder = new PushEncoder() {
        private final PushBatch batch = new PushBatch();

        @Override
        public PushBatch encode() {
            if (failEncoding.getAndSet(false)) {
                throw new IllegalStateException("encoder bug");
            }
            byte[] body = ("push " + encoded.incrementAndGet()).getBytes(StandardCharsets.US_ASCII);
            batch.set(body, body.length, SAMPLES);
            return batch;
        }
    };

    private final class Builder extends PushExporterBuilder<Builder> {
        Builder() {
            super(PushLoopTest.this.engine);
        }

        PushLoop start() {
            return startLoop("test", settings(), java.util.Map.of("Content-Type", "text/plain"), encoder);
        }
    }

    private PushLoop start(Duration interval, Duration minBackoff, Duration maxBackoff) {
        loop = new Builder().endpoint(receiver.url("/write")).interval(interval).backoff(minBackoff, maxBackoff)
                .timeout(Duration.ofSeconds(5)).start();
        return loop;
    }

    private double samples(String result) {
        MetricsSnapshot snapshot = engine.snapshot();
        return ((CounterPoint) snapshot.family("streammetrics_push_samples").point("test", result)).value();
    }

    private double requests(String result) {
        MetricsSnapshot snapshot = engine.snapshot();
        return ((CounterPoint) snapshot.family("streammetrics_push_requests").point("test", result)).value();
    }

    @Test
    void acceptedPushCountsItsSamplesAsSent() throws Exception {
        start(Duration.ofHours(1), Duration.ofMillis(10), Duration.ofMillis(100));
        assertTrue(loop.flush(Duration.ofSeconds(10)));
        assertEquals(SAMPLES, samples("sent"));
        assertEquals(1, requests("success"));
        assertEquals("text/plain", receiver.received().get(0).header("Content-Type"));
    }

    @Test
    void retryableAnswersResendTheSameBatchUntilTaken() throws Exception {
        receiver.answer(503);
        start(Duration.ofHours(1), Duration.ofMillis(10), Duration.ofMillis(40));
        assertFalse(loop.flush(Duration.ofSeconds(10)));
        Poll.until(() -> receiver.count() >= 4, "four attempts");
        receiver.answer(204);
        Poll.until(() -> samples("sent") == SAMPLES, "the retried batch to be taken");
        List<ScriptedReceiver.Received> all = receiver.received();
        for (ScriptedReceiver.Received request : all) {
            assertArrayEquals("push 1".getBytes(StandardCharsets.US_ASCII), request.body(), "the same batch each time");
        }
        assertEquals(1, encoded.get());
        assertEquals(0, samples("failed"));
        assertEquals(0, samples("dropped"));
        assertEquals(all.size() - 1, requests("retry"));
    }

    @Test
    void clientErrorDropsTheBatchWithoutRetry() throws Exception {
        receiver.answer(400);
        start(Duration.ofHours(1), Duration.ofMillis(10), Duration.ofMillis(40));
        assertFalse(loop.flush(Duration.ofSeconds(10)));
        assertEquals(SAMPLES, samples("dropped"));
        assertEquals(1, requests("rejected"));
        // A retry would come after 10 ms; a second flush is the next request the receiver sees.
        assertFalse(loop.flush(Duration.ofSeconds(10)));
        assertEquals(2, receiver.count());
        assertEquals(2 * SAMPLES, samples("dropped"));
    }

    @Test
    void tooManyRequestsWaitsForRetryAfter() throws Exception {
        receiver.answer(429, "1");
        start(Duration.ofHours(1), Duration.ofMillis(10), Duration.ofMillis(20));
        assertFalse(loop.flush(Duration.ofSeconds(10)));
        receiver.answer(204);
        Poll.until(() -> samples("sent") == SAMPLES, "the retry after Retry-After");
        List<ScriptedReceiver.Received> all = receiver.received();
        assertEquals(2, all.size(), "one retry, not a back-off's worth of them");
        long waited = all.get(1).nanoTime() - all.get(0).nanoTime();
        assertTrue(waited >= Duration.ofMillis(990).toNanos(), "retried after " + waited / 1_000_000 + " ms");
    }

    @Test
    void retryAfterIsCappedByTheBuilderSetting() throws Exception {
        receiver.answer(503, "3600");
        loop = new Builder().endpoint(receiver.url("/write")).interval(Duration.ofHours(1))
                .backoff(Duration.ofMillis(10), Duration.ofMillis(20)).maxRetryAfter(Duration.ofMillis(200)).start();
        assertFalse(loop.flush(Duration.ofSeconds(10)));
        receiver.answer(204);
        Poll.until(() -> samples("sent") == SAMPLES, "a retry after the capped wait, not an hour");
    }

    @Test
    void aNewIntervalSupersedesTheUndeliveredBatchSoOnlyOneIsKept() throws Exception {
        receiver.answer(503);
        start(Duration.ofMillis(200), Duration.ofMillis(50), Duration.ofMillis(50));
        Poll.until(() -> encoded.get() >= 4, "four intervals during the outage");
        receiver.answer(204);
        Poll.until(() -> samples("sent") >= SAMPLES, "a push after recovery");
        loop.close();
        double failed = samples("failed");
        double sent = samples("sent");
        // Every batch but the delivered ones was given up once, when the next replaced it: nothing piles up.
        assertEquals(encoded.get() * SAMPLES, failed + sent);
        assertTrue(failed >= 3 * SAMPLES, "failed " + failed);
        // Retries resend the batch of their own interval only, never an older one.
        int previous = 0;
        for (ScriptedReceiver.Received request : receiver.received()) {
            int push = Integer.parseInt(new String(request.body(), StandardCharsets.US_ASCII).substring(5));
            assertTrue(push >= previous, "push " + push + " after push " + previous);
            previous = push;
        }
    }

    @Test
    void anEncoderThatThrowsFailsThatPushOnly() throws Exception {
        start(Duration.ofHours(1), Duration.ofMillis(10), Duration.ofMillis(40));
        failEncoding.set(true);
        assertFalse(loop.flush(Duration.ofSeconds(10)), "the push whose encoding threw");
        assertEquals(0, receiver.count());
        assertTrue(loop.flush(Duration.ofSeconds(10)), "the next push goes out");
        assertEquals(SAMPLES, samples("sent"));
    }

    @Test
    void closeMakesOneLastPush() throws Exception {
        start(Duration.ofHours(1), Duration.ofMillis(10), Duration.ofMillis(40));
        loop.close();
        assertEquals(1, receiver.count());
        assertEquals(SAMPLES, samples("sent"));
        assertFalse(loop.flush(Duration.ofSeconds(1)), "no push after close");
    }

    @Test
    void closeCountsAnUndeliveredLastPushAsFailedAndDoesNotRetryIt() throws Exception {
        receiver.answer(503);
        start(Duration.ofHours(1), Duration.ofMillis(10), Duration.ofMillis(10));
        loop.close();
        assertEquals(1, receiver.count());
        assertEquals(SAMPLES, samples("failed"));
    }

    @Test
    void noAnswerIsRetriedAndCounted() throws Exception {
        String url = receiver.url("/write");
        receiver.close();
        loop = new Builder().endpoint(url).interval(Duration.ofHours(1))
                .backoff(Duration.ofMillis(10), Duration.ofMillis(20)).start();
        assertFalse(loop.flush(Duration.ofSeconds(10)));
        Poll.until(() -> requests("retry") >= 3, "retries against a closed port");
        loop.close();
        assertEquals(0, samples("sent"));
        assertTrue(samples("failed") >= SAMPLES);
    }

    @Test
    void pushesOverTlsWithTheUsersSslContext(@TempDir Path dir) throws Exception {
        SelfSignedTls tls = SelfSignedTls.create(dir);
        try (ScriptedReceiver https = new ScriptedReceiver(tls.server())) {
            loop = new Builder().endpoint(https.url("/write")).sslContext(tls.client()).interval(Duration.ofHours(1))
                    .start();
            assertTrue(loop.flush(Duration.ofSeconds(10)), "the push over TLS is taken");
            assertEquals(1, https.count());
            loop.close();
            int taken = https.count();
            assertEquals(2, taken, "and the last push on close");
            // Without the trust: the handshake fails, which is a failed (retryable) push, not a crash.
            loop = new Builder().endpoint(https.url("/write")).interval(Duration.ofHours(1))
                    .backoff(Duration.ofSeconds(10), Duration.ofSeconds(10)).start();
            assertFalse(loop.flush(Duration.ofSeconds(10)));
            assertEquals(taken, https.count(), "nothing arrives without a trusted handshake");
            assertTrue(requests("retry") >= 1);
        }
    }

    @Test
    void badSettingsFailAtBuildNamingTheProblem() {
        assertEquals("push endpoint is not set",
                assertThrows(IllegalArgumentException.class, () -> new Builder().start()).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Builder().endpoint("ftp://x/"))
                .getMessage().contains("http or https"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Builder().interval(Duration.ZERO))
                .getMessage().contains("interval"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new Builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).getMessage()
                .contains("shorter than the minimum"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Builder().externalLabel("le", "x"))
                .getMessage().contains("'le'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Builder().externalLabel("a-b", "x"))
                .getMessage().contains("'a-b'"));
        assertThrows(IllegalArgumentException.class,
                () -> new Builder().endpoint(receiver.url("/")).header("Content-Length", "3").start());
    }
}
