package io.streammetrics.push;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The periodic push of one exporter, on its own daemon thread: every interval it asks the {@link PushEncoder} for a
 * fresh batch and POSTs it to the {@link PushEndpoint}; on close it makes one last push. The one implementation
 * behind both remote write and line protocol.
 *
 * <p><b>Failures</b> follow the remote-write specification. No answer, 5xx, 429 and 408: the same batch is retried
 * after a back-off that doubles from the minimum to the maximum, or after the receiver's {@code Retry-After} when
 * that is longer (capped by {@link PushSettings#maxRetryAfter()}). Any other non-2xx answer (a 4xx): the batch is
 * dropped, counted, and not retried.
 *
 * <p><b>Bounded memory.</b> Every value an engine exports is cumulative (counter totals, histogram counts and sums)
 * or current (gauges), so a newer batch carries everything an older one did. The loop therefore keeps at most one
 * undelivered batch: when the next interval comes while it is still being retried, it is given up (its samples
 * counted as failed) and a fresh one is encoded, still no earlier than the back-off allows. However long the
 * receiver is down, the loop holds one encoded request; the first successful push after it recovers carries the
 * complete totals.
 *
 * <p><b>Never blocks recording.</b> The loop reads the engine only through snapshot reads, which do not stop the
 * aggregator; a slow, hung or failing receiver delays only this thread. Self-metrics: see {@link PushMetrics}.
 */
public final class PushLoop implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PushLoop.class.getName());

    private final String exporter;
    private final PushEncoder encoder;
    private final PushEndpoint endpoint;
    private final PushMetrics metrics;
    private final long intervalNanos;
    private final long minBackoffNanos;
    private final long maxBackoffNanos;
    private final long maxRetryAfterNanos;
    private final Thread thread;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Condition flushed = lock.newCondition();
    // Guarded by lock.
    private boolean closing;
    private long flushRequests;
    private long flushesDone;
    private boolean lastFlushSent;
    private boolean closed;

    // Push thread only.
    private PushBatch pending;
    private long retryAtNanos;
    private long backoffNanos;
    private long nextPushNanos;
    private boolean failing;
    private int lastRejectedStatus;

    PushLoop(String exporter, PushEncoder encoder, PushEndpoint endpoint, PushSettings settings, PushMetrics metrics) {
        this.exporter = exporter;
        this.encoder = encoder;
        this.endpoint = endpoint;
        this.metrics = metrics;
        this.intervalNanos = settings.interval().toNanos();
        this.minBackoffNanos = settings.minBackoff().toNanos();
        this.maxBackoffNanos = settings.maxBackoff().toNanos();
        this.maxRetryAfterNanos = settings.maxRetryAfter().toNanos();
        this.backoffNanos = minBackoffNanos;
        this.thread = new Thread(this::run, "streammetrics-push-" + exporter);
        thread.setDaemon(true);
    }

    void start() {
        nextPushNanos = System.nanoTime() + intervalNanos;
        thread.start();
    }

    /** Where the pushes go. */
    public String endpoint() {
        return endpoint.uri().toString();
    }

    /**
     * Pushes a fresh batch now, on the loop's thread, and waits for its outcome (as the OpenTelemetry SDK's
     * {@code forceFlush}).
     *
     * @return whether the receiver took it within {@code timeout}
     */
    public boolean flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            if (closing) {
                return false;
            }
            long ticket = ++flushRequests;
            wake.signalAll();
            while (flushesDone < ticket) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) {
                    return false;
                }
                flushed.awaitNanos(left);
            }
            return lastFlushSent;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the loop after one last push of a fresh batch (an undelivered one is counted as failed), waiting at most
     * about twice the request timeout. Idempotent.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(2 * endpoint.timeout().toMillis() + 5_000);
            if (thread.isAlive()) {
                LOG.log(System.Logger.Level.WARNING, exporter + " push did not finish in time on close; interrupting");
                thread.interrupt();
                thread.join(5_000);
            }
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (true) {
                boolean flush;
                lock.lock();
                try {
                    while (!closing && flushRequests == flushesDone) {
                        long wait = due() - System.nanoTime();
                        if (wait <= 0) {
                            break;
                        }
                        wake.awaitNanos(wait);
                    }
                    if (closing) {
                        break;
                    }
                    flush = flushRequests != flushesDone;
                } finally {
                    lock.unlock();
                }
                long ticket = flush ? ticket() : 0;
                boolean sent = false;
                try {
                    if (flush || pending == null || System.nanoTime() - nextPushNanos >= 0) {
                        sent = pushFresh();
                    } else {
                        sent = attempt(pending, System.nanoTime());
                    }
                } catch (RuntimeException e) {
                    // A bug or a JDK surprise in one push must not end the pushes: count, log, go on.
                    if (pending != null) {
                        giveUp();
                    }
                    LOG.log(System.Logger.Level.ERROR, exporter + " push failed unexpectedly; pushing goes on", e);
                }
                if (flush) {
                    completeFlush(ticket, sent);
                }
            }
            // One last push of the final totals, without retries: close must not wait on a receiver that is down.
            pushFresh();
            if (pending != null) {
                giveUp();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, exporter + " push loop stopped by an unexpected error", e);
        } finally {
            lock.lock();
            try {
                closed = true;
                flushed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** When the loop next has work: a retry of the pending batch, else the next interval. */
    private long due() {
        return pending != null ? retryAtNanos : nextPushNanos;
    }

    private long ticket() {
        lock.lock();
        try {
            return flushRequests;
        } finally {
            lock.unlock();
        }
    }

    private void completeFlush(long ticket, boolean sent) {
        lock.lock();
        try {
            flushesDone = Math.max(flushesDone, ticket);
            lastFlushSent = sent;
            flushed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Gives up any pending batch, encodes the current state and pushes it once; the next interval follows it. */
    private boolean pushFresh() throws InterruptedException {
        if (pending != null) {
            giveUp();
        }
        long start = System.nanoTime();
        long now = start;
        while (nextPushNanos - now <= 0) {
            nextPushNanos += intervalNanos;
        }
        PushBatch batch;
        try {
            batch = encoder.encode();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, exporter + " could not encode a push; nothing was sent", e);
            metrics.duration.recordSince(start);
            return false;
        }
        return attempt(batch, start);
    }

    private void giveUp() {
        metrics.failed.add(pending.samples());
        pending = null;
    }

    /** One HTTP attempt for {@code batch}; returns whether it was taken. */
    private boolean attempt(PushBatch batch, long start) throws InterruptedException {
        PushResponse response = endpoint.send(batch.body(), batch.length());
        metrics.duration.recordSince(start);
        if (response.accepted()) {
            metrics.success.increment();
            metrics.sent.add(batch.samples());
            encoder.delivered();
            pending = null;
            backoffNanos = minBackoffNanos;
            lastRejectedStatus = 0;
            if (failing) {
                LOG.log(System.Logger.Level.INFO, exporter + " push to " + endpoint.uri() + " recovered; the "
                        + "cumulative totals are complete again");
                failing = false;
            }
            return true;
        }
        if (response.retryable()) {
            metrics.retry.increment();
            long wait = Math.max(backoffNanos, Math.min(response.retryAfterNanos(), maxRetryAfterNanos));
            backoffNanos = Math.min(maxBackoffNanos, backoffNanos * 2);
            pending = batch;
            retryAtNanos = System.nanoTime() + wait;
            if (!failing) {
                LOG.log(System.Logger.Level.WARNING, exporter + " push to " + endpoint.uri() + " failed ("
                        + describe(response) + "); retrying with back-off. Recording goes on, and the next "
                        + "successful push carries the complete totals");
                failing = true;
            }
            return false;
        }
        metrics.rejected.increment();
        metrics.dropped.add(batch.samples());
        pending = null;
        backoffNanos = minBackoffNanos;
        if (response.status() != lastRejectedStatus) {
            LOG.log(System.Logger.Level.WARNING, exporter + " push to " + endpoint.uri() + " rejected ("
                    + describe(response) + "); the batch is dropped, not retried (logged once per status)");
            lastRejectedStatus = response.status();
        }
        return false;
    }

    private static String describe(PushResponse response) {
        String detail = response.detail().isEmpty() ? "" : ": " + response.detail();
        return (response.status() == 0 ? "no answer" : "HTTP " + response.status()) + detail;
    }
}
