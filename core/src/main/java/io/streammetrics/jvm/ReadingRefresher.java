package io.streammetrics.jvm;

import io.streammetrics.metric.Meter;

import java.lang.ref.WeakReference;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one background thread of the process that refreshes {@link JvmReadings}: a daemon named
 * {@code streammetrics-jvm-readings}, started with the first registration and ended a few seconds after the last
 * engine whose readings it refreshes is closed. Each registration is refreshed at a fixed delay of its interval; its
 * engine is held weakly, so an engine dropped without {@code close()} stops its refreshes once collected. Readings
 * that take long delay the others, never a snapshot or the aggregator.
 */
final class ReadingRefresher {
    private static final ScheduledThreadPoolExecutor EXECUTOR = executor();

    private ReadingRefresher() {
    }

    private static ScheduledThreadPoolExecutor executor() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "streammetrics-jvm-readings");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setKeepAliveTime(5, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /** Refreshes {@code readings} every {@code intervalNanos} from now on, until {@code engine} is closed. */
    static void schedule(JvmReadings readings, Meter engine, long intervalNanos) {
        Refresh refresh = new Refresh(readings, engine);
        refresh.future = EXECUTOR.scheduleWithFixedDelay(refresh, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
    }

    private static final class Refresh implements Runnable {
        private final JvmReadings readings;
        private final WeakReference<Meter> engine;
        private volatile ScheduledFuture<?> future;

        Refresh(JvmReadings readings, Meter engine) {
            this.readings = readings;
            this.engine = new WeakReference<>(engine);
        }

        @Override
        public void run() {
            Meter current = engine.get();
            if (current == null || current.isClosed()) {
                ScheduledFuture<?> scheduled = future;
                if (scheduled != null) {
                    scheduled.cancel(false);
                }
                return;
            }
            readings.refresh();
        }
    }
}
