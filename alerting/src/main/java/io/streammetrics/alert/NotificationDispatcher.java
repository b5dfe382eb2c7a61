package io.streammetrics.alert;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Delivers events to one {@link AlertNotifier} from its own bounded queue on its own daemon thread, so that a
 * notifier that blocks, hangs or throws delays neither the evaluation nor the other notifiers. An event that does
 * not fit the queue is dropped; drops and failures are counted (and reported to {@code outcomes}, which feeds the
 * {@code streammetrics_notifications_total} self-metric).
 */
final class NotificationDispatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NotificationDispatcher.class.getName());
    static final String SENT = "sent";
    static final String FAILED = "failed";
    static final String DROPPED = "dropped";

    private final AlertNotifier notifier;
    private final BlockingQueue<AlertEvent> queue;
    private final BiConsumer<String, String> outcomes;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param outcomes called with (notifier name, sent|failed|dropped) for every event
     */
    NotificationDispatcher(AlertNotifier notifier, int capacity, BiConsumer<String, String> outcomes) {
        this.notifier = notifier;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.outcomes = outcomes;
        this.thread = new Thread(this::run, "streammetrics-notifier-" + notifier.name());
        thread.setDaemon(true);
        thread.start();
    }

    String name() {
        return notifier.name();
    }

    /** Queues an event without waiting; a full queue drops it. */
    void offer(AlertEvent event) {
        if (closed || !queue.offer(event)) {
            dropped.incrementAndGet();
            outcomes.accept(notifier.name(), DROPPED);
        }
    }

    NotificationStats stats() {
        return new NotificationStats(sent.get(), failed.get(), dropped.get(), queue.size());
    }

    private void run() {
        while (!closed || !queue.isEmpty()) {
            AlertEvent event;
            try {
                event = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (event == null) {
                continue;
            }
            try {
                notifier.notify(event);
                sent.incrementAndGet();
                outcomes.accept(notifier.name(), SENT);
            } catch (InterruptedException e) {
                return;
            } catch (Exception | Error e) {
                // Every failure is counted; the log would flood with a dead endpoint, so only the first is logged.
                if (failed.getAndIncrement() == 0) {
                    LOG.log(System.Logger.Level.WARNING, "notifier " + notifier.name() + " failed on "
                            + event.kind() + " of " + event.alert().ruleName() + " (further failures are only counted)", e);
                }
                outcomes.accept(notifier.name(), FAILED);
            }
        }
    }

    /** Stops taking events, gives the queue up to {@code drainMillis} to empty, then interrupts the thread. */
    void close(long drainMillis) {
        closed = true;
        try {
            thread.join(drainMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
    }

    @Override
    public void close() {
        close(1000);
    }

    /** Closes the notifier if it holds resources ({@link AutoCloseable}); a failure is logged, not thrown. */
    void closeNotifier() {
        if (notifier instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // Closing the evaluator must reach every notifier: one that fails to close only costs its resources.
                LOG.log(System.Logger.Level.WARNING, "closing notifier " + notifier.name() + " failed", e);
            }
        }
    }
}
