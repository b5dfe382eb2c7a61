package io.streammetrics.alert;

import io.streammetrics.common.EngineClock;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When an {@link AlertEvaluator} evaluates, and how its loop is doing: the daemon thread that runs a pass on each
 * tick of a {@link TickGrid}, the ticks it skipped, and the times of the passes ({@link #status()}).
 *
 * <p>Threads: {@link #start} and {@link #close} (any thread) set and stop the executor under this object's monitor;
 * the tick grid is then used by the evaluator thread only (handed over by the executor's scheduling). The pass times
 * are written by whichever thread runs a pass ({@link #passStarted}, {@link #passCompleted}, {@link #passEnded}),
 * which holds the {@link RuleEvaluation}'s lock, so one pass at a time; they are volatile or atomic, so
 * {@link #status()} reads them from any thread without a lock.
 */
final class EvaluationSchedule {
    private static final System.Logger LOG = System.getLogger(AlertEvaluator.class.getName());
    private static final long NONE = Long.MIN_VALUE;

    private final EngineClock clock;
    private final long intervalMillis;
    private final AlertSelfMetrics selfMetrics;
    private volatile ScheduledExecutorService scheduler;
    private TickGrid grid;
    /** What a tick runs; set with the executor, before the first tick. */
    private Runnable pass;
    private volatile long startedNanos = NONE;
    private volatile long runningSinceNanos = NONE;
    private volatile long lastEndNanos = NONE;
    private volatile long lastEvaluationMillis;
    private volatile long lastDurationNanos;
    private final AtomicLong evaluations = new AtomicLong();
    private final AtomicLong skippedTicks = new AtomicLong();

    EvaluationSchedule(EngineClock clock, long intervalMillis, AlertSelfMetrics selfMetrics) {
        this.clock = clock;
        this.intervalMillis = intervalMillis;
        this.selfMetrics = selfMetrics;
    }

    /**
     * Starts running {@code pass} every interval on a daemon thread, the first time one interval from now.
     * Idempotent.
     */
    synchronized void start(Runnable pass) {
        if (scheduler == null) {
            ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "streammetrics-alert-evaluator");
                thread.setDaemon(true);
                return thread;
            });
            // Real time, not the clock's: a test's hand-driven clock must not stop the thread's schedule.
            grid = new TickGrid(System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(intervalMillis));
            startedNanos = clock.nanoTime();
            this.pass = pass;
            scheduler = executor;
            executor.schedule(this::tick, grid.first() - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
    }

    /** One tick of the evaluator thread: run the pass, then wait for the first grid point after the pass ended. */
    private void tick() {
        try {
            pass.run();
        } catch (RuntimeException | Error e) {
            // A failure must not end the schedule: the next tick tries again.
            LOG.log(System.Logger.Level.ERROR, "alert evaluation failed", e);
        }
        long skipped = grid.advance(System.nanoTime());
        if (skipped > 0) {
            skippedTicks.addAndGet(skipped);
            selfMetrics.ticksSkipped(skipped);
        }
        try {
            scheduler.schedule(this::tick, grid.current() - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // Closed meanwhile.
        }
    }

    /** A pass begins (the caller holds the evaluation's lock): its start time, to give {@link #passCompleted}. */
    long passStarted() {
        long startNanos = clock.nanoTime();
        runningSinceNanos = startNanos;
        return startNanos;
    }

    /** The pass begun at {@code startNanos} evaluated the rules at {@code evaluationMillis} (its snapshot's time). */
    void passCompleted(long startNanos, long evaluationMillis) {
        long endNanos = clock.nanoTime();
        lastDurationNanos = endNanos - startNanos;
        lastEvaluationMillis = evaluationMillis;
        lastEndNanos = endNanos;
        evaluations.incrementAndGet();
        selfMetrics.evaluation(endNanos - startNanos, evaluationMillis);
    }

    /** The pass is over, completed or not (its snapshot failed, or it threw). */
    void passEnded() {
        runningSinceNanos = NONE;
    }

    /** See {@link AlertEvaluator#status()}. Takes no lock. */
    EvaluatorStatus status() {
        long at = clock.nanoTime();
        ScheduledExecutorService executor = scheduler;
        long since = Math.max(lastEndNanos, startedNanos);
        long running = runningSinceNanos;
        return new EvaluatorStatus(executor != null && !executor.isShutdown(), Duration.ofMillis(intervalMillis),
                evaluations.get(), lastEvaluationMillis, Duration.ofNanos(lastDurationNanos),
                since == NONE ? -1 : at - since, running == NONE ? -1 : at - running, skippedTicks.get());
    }

    /** Stops the evaluator thread (a pass in progress is interrupted). */
    synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
