package io.streammetrics.internal.aggregate;

import com.lmax.disruptor.EventPoller;
import io.streammetrics.common.EngineClock;
import io.streammetrics.internal.cell.CounterCells;
import io.streammetrics.internal.cell.HistogramCells;
import io.streammetrics.internal.ring.ProducerRing;
import io.streammetrics.internal.ring.ProducerRings;
import io.streammetrics.internal.ring.RecordEvent;
import io.streammetrics.internal.store.HistogramDelta;
import io.streammetrics.internal.store.MetricStore;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The single writer: one thread drains every producer ring with Disruptor {@link EventPoller}s and applies each
 * event to the {@link MetricStore}. It is the only thread that writes counter, gauge and histogram memory, so no
 * store update needs an atomic instruction. Bad values are rejected or clamped here, off the record path, and
 * counted.
 *
 * <p>When a pass finds only a few events, the aggregator parks for a short batch window (default 1 ms) before the
 * next pass, so that it reads the rings in batches instead of chasing each producer's cursor. When a pass finds
 * nothing to do it calls its {@link IdleStrategy}: by default a back-off that spins briefly,
 * yields, then parks for at most ten milliseconds, so that an idle engine costs under 1 % of a core. Parking does not
 * delay what readers see: a snapshot first wakes the aggregator and waits until it has applied everything published
 * before the snapshot ({@link #awaitApplied(long)}), and a producer whose ring is half full wakes it early.
 *
 * <h2>Failures</h2>
 * Every step of a pass (a ring's drain, its counter sweep, its histogram sweep, retirement, housekeeping, the idle
 * wait) is guarded on its own, so that one failing step neither skips the others nor starves the rings after it.
 * An {@link Exception} is survived: counted ({@code streammetrics_aggregator_errors_total}), the first one logged
 * with its stack trace, and the next pass tries again. What cannot be survived fails the engine at once: an
 * {@link Error} (an {@link OutOfMemoryError}, a {@link StackOverflowError}, a broken class), a step that has failed on
 * every pass for {@value #FAIL_AFTER_MILLIS} ms (at least {@value #FAIL_AFTER_PASSES} passes: the step's work is not
 * being done), or a second thread found writing the store. Failing means: the rings refuse records from then on
 * (dropped and counted as {@code failed}, which also releases producers waiting under {@code BLOCK}), waiting
 * snapshots return at once, the failure listener (the engine) is told, and the thread ends.
 */
public final class Aggregator implements EventPoller.Handler<RecordEvent>, CounterCells.CounterSink,
        HistogramCells.HistogramSink, MessageHandler, CallbackWrites.Sink {
    private static final System.Logger LOG = System.getLogger(Aggregator.class.getName());
    /** Events taken from one ring before moving to the next, so that one busy producer cannot starve the others. */
    private static final int BATCH = 1024;
    private static final long HOUSEKEEPING_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * Histogram cells are swept at most this often, and on every snapshot's request. A sweep reads the cells'
     * changed blocks, cache lines their threads are writing: sweeping 128 busy cells on every 1 ms pass took 71 % of
     * the aggregator's core and held the recording thread to a quarter of the rate it reaches with this interval
     * (3.2 against 12.8 million records a second, {@code AggregatorThroughput}, mix).
     */
    private static final long HISTOGRAM_SWEEP_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final VarHandle REFRESH_REQUESTED;

    static {
        try {
            REFRESH_REQUESTED = MethodHandles.lookup().findVarHandle(Aggregator.class, "refreshRequested", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    private static final long RETIRE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** A step failing on every pass for this long (and {@link #FAIL_AFTER_PASSES} passes) fails the engine. */
    static final long FAIL_AFTER_MILLIS = 1_000;
    static final int FAIL_AFTER_PASSES = 3;

    /** The guarded steps of a pass: where an error was caught, and where a test's {@link StepHook} runs. */
    public enum Step {
        /** Taking a ring's events and applying them. */
        DRAIN,
        /** Adding a ring's counter-cell growth to the store. */
        COUNTER_SWEEP,
        /** Adding a ring's histogram-cell growth to the store. */
        HISTOGRAM_SWEEP,
        /** Retiring the rings of ended threads. */
        RETIRE,
        /** Self-metrics and the store's heartbeat. */
        HOUSEKEEPING,
        /** Waiting for work ({@link IdleStrategy}). */
        IDLE
    }

    /**
     * Runs before each guarded step; for tests that inject faults (whatever it throws is handled as if the step had
     * thrown it). Not reachable through the engine's public API.
     */
    @FunctionalInterface
    public interface StepHook {
        void before(Step step) throws Exception;
    }

    private static final Step[] STEPS = Step.values();

    private final MetricStore store;
    private final ProducerRings rings;
    /** Callback samples the snapshot side hands over, applied on every pass. */
    private final CallbackWrites callbackWrites;
    private final IdleStrategy idleStrategy;
    private final EngineClock clock;
    private final SelfMetrics selfMetrics;
    private final long highestTrackable;
    private final long batchWindowNanos;
    /** Told once, from the failing thread, when the aggregator fails. */
    private final Consumer<Throwable> failureListener;
    /** The thread writing the store right now (the aggregator, or a closing thread once it has stopped). */
    private final AtomicReference<Thread> writer = new AtomicReference<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile StepHook stepHook;
    private volatile boolean running;
    /** Completed passes (drain and cell sweep); snapshots wait for it to move past their start. */
    private volatile long passes;
    /** Number of the pass under way (or last run), written before the pass reads {@link #refreshRequested}. */
    private volatile long passesStarted;
    /** Set by a waiting snapshot so that the pass it waits for also refreshes the self-metrics. */
    private volatile boolean refreshRequested;
    private Thread thread;
    /** Set by {@link #stop()}; a stopped aggregator never starts again. */
    private boolean stopped;
    private long nowMillis;
    private int budget;
    private long applied;
    private long rejectedNan;
    private long rejectedNegative;
    private long rejectedInfinite;
    private long rejectedInvalid;
    private long clampedAboveRange;
    /** How long a store slot keeps an exemplar before a newer one may replace it (client_java: 7 s). */
    private long exemplarMinRetentionMillis = 7_000;
    /** Errors caught and survived; written by the writer, read by self-metrics and status. */
    private volatile long errors;
    private volatile Throwable lastError;
    /** {@link System#nanoTime()} at the end of the last completed pass; 0 before the first. */
    private volatile long lastPassNanos;
    /** Snapshots that stopped waiting for this aggregator before it caught up. */
    private final AtomicLong awaitTimeouts = new AtomicLong();
    private final AtomicBoolean awaitTimeoutLogged = new AtomicBoolean();
    /** Steps that failed during the current pass, and those it attempted (bit per {@link Step} ordinal). */
    private int failedSteps;
    private int attemptedSteps;
    /** Steps whose last attempt failed (bit per ordinal): their streak is being watched. */
    private int failingStepsMask;
    private final int[] failingPasses = new int[STEPS.length];
    private final long[] failingSinceNanos = new long[STEPS.length];
    private final Throwable[] lastStepError = new Throwable[STEPS.length];

    /**
     * @param batchWindowNanos how long to let events accumulate after a pass that found only a few (0: poll again at
     *                         once, as the idle strategy decides)
     * @param failureListener told (once, on the failing thread) when the aggregator meets an error it cannot survive
     */
    public Aggregator(MetricStore store, ProducerRings rings, CallbackWrites callbackWrites, IdleStrategy idleStrategy,
                      EngineClock clock, SelfMetrics selfMetrics, long batchWindowNanos,
                      Consumer<Throwable> failureListener) {
        this.store = store;
        this.rings = rings;
        this.callbackWrites = callbackWrites;
        this.idleStrategy = idleStrategy;
        this.clock = clock;
        this.selfMetrics = selfMetrics;
        this.highestTrackable = store.histogramLayout().highestTrackableValue();
        this.batchWindowNanos = batchWindowNanos;
        this.failureListener = failureListener;
    }

    /** Sets the exemplars' minimum retention; before {@link #start}. */
    public void exemplarMinRetentionMillis(long millis) {
        this.exemplarMinRetentionMillis = millis;
    }

    /** Starts the aggregator thread; does nothing if it was started or stopped before. */
    public synchronized void start(String threadName) {
        if (thread != null || stopped) {
            return;
        }
        running = true;
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        rings.consumer(thread);
        thread.start();
    }

    private void run() {
        Throwable fatal = null;
        try {
            loop();
        } catch (Throwable e) {
            fatal = e;
        } finally {
            if (running || fatal != null) {
                // Not stopped by stop(): whatever ended the loop is a failure, reported before the thread ends.
                fail(fatal != null ? fatal : new IllegalStateException("the aggregator thread ended unexpectedly"));
                writeFinalSelfMetrics();
            }
        }
    }

    private void loop() {
        long nextHousekeeping = 0;
        long nextHistogramSweep = 0;
        long nextRetire = System.nanoTime() + RETIRE_INTERVAL_NANOS;
        while (running) {
            if (!enterWriter()) {
                return;
            }
            int work;
            try {
                // Announce the pass, then take the request (both volatile, in this order): a snapshot that set its
                // request and then read this pass's number is served by the next pass, which reads the request
                // after it (see awaitApplied). Taken atomically, so that a request set right after this read is
                // not cleared unseen.
                passesStarted = passes + 1;
                boolean refresh = refreshRequested && (boolean) REFRESH_REQUESTED.getAndSet(this, false);
                long started = System.nanoTime();
                boolean scheduledSweep = started - nextHistogramSweep >= 0;
                boolean sweepHistograms = refresh || scheduledSweep;
                if (sweepHistograms) {
                    nextHistogramSweep = started + HISTOGRAM_SWEEP_INTERVAL_NANOS;
                }
                if (scheduledSweep) {
                    // Periods of the sweep interval, not of every sweep: snapshots in a loop must not make every
                    // histogram look hot to the recording threads.
                    rings.heatPeriod().advance();
                }
                work = drainOnce(sweepHistograms);
                long now = System.nanoTime();
                if (now - nextHousekeeping >= 0 || refresh) {
                    nextHousekeeping = now + HOUSEKEEPING_INTERVAL_NANOS;
                    housekeepingGuarded();
                    if (now - nextRetire >= 0 || rings.retireRequested()) {
                        nextRetire = now + RETIRE_INTERVAL_NANOS;
                        retireGuarded();
                    }
                }
                endPass(now);
            } finally {
                exitWriter();
            }
            idleGuarded(work);
        }
    }

    /** Waits for work: parks for the batch window after a trickle, else as the idle strategy decides. */
    private void idleGuarded(int work) {
        try {
            hook(Step.IDLE);
            if (work > 0 && work < BATCH && batchWindowNanos > 0) {
                // A trickle: polling right behind the producers would pull the cursor's and the slots' cache lines
                // back and forth on every record and keep a core busy (AggregatorIdleCpu: 22 % of a core at
                // 100,000 records/s with a 100 us window, 4 % with 1 ms). Let a batch build up instead; a filling
                // ring or a snapshot wakes us early.
                idleStrategy.reset();
                LockSupport.parkNanos(batchWindowNanos);
            } else {
                idleStrategy.idle(work);
            }
        } catch (Exception e) {
            caught(Step.IDLE, e);
        }
    }

    private void housekeepingGuarded() {
        try {
            hook(Step.HOUSEKEEPING);
            housekeeping();
        } catch (Exception e) {
            caught(Step.HOUSEKEEPING, e);
        }
    }

    private void retireGuarded() {
        try {
            hook(Step.RETIRE);
            rings.retireIdleRings(this);
        } catch (Exception e) {
            caught(Step.RETIRE, e);
        }
    }

    private void hook(Step step) throws Exception {
        attemptedSteps |= 1 << step.ordinal();
        StepHook hook = stepHook;
        if (hook != null) {
            hook.before(step);
        }
    }

    /** A step threw an exception: count it, log the first, and go on with the next step. */
    private void caught(Step step, Exception e) {
        failedSteps |= 1 << step.ordinal();
        lastStepError[step.ordinal()] = e;
        lastError = e;
        long count = errors + 1;
        errors = count;
        if (count == 1) {
            LOG.log(System.Logger.Level.ERROR, "aggregator step " + step + " failed; the aggregator goes on (only the "
                    + "first error is logged, all are counted in streammetrics_aggregator_errors_total)", e);
        }
    }

    /**
     * Ends a pass: a step that has failed on every pass that ran it for {@link #FAIL_AFTER_MILLIS} (and at least
     * {@link #FAIL_AFTER_PASSES} passes) is not getting its work done, and fails the engine.
     */
    private void endPass(long now) {
        passes++;
        lastPassNanos = now;
        if ((failedSteps | failingStepsMask) == 0) {
            attemptedSteps = 0;
            return;
        }
        for (Step step : STEPS) {
            int bit = 1 << step.ordinal();
            if ((attemptedSteps & bit) == 0) {
                continue;
            }
            int i = step.ordinal();
            if ((failedSteps & bit) == 0) {
                failingPasses[i] = 0;
                failingStepsMask &= ~bit;
            } else if (failingPasses[i]++ == 0) {
                failingSinceNanos[i] = now;
                failingStepsMask |= bit;
            } else if (failingPasses[i] >= FAIL_AFTER_PASSES
                    && now - failingSinceNanos[i] >= TimeUnit.MILLISECONDS.toNanos(FAIL_AFTER_MILLIS)) {
                throw new IllegalStateException("aggregator step " + step + " failed on every pass for "
                        + TimeUnit.NANOSECONDS.toMillis(now - failingSinceNanos[i]) + " ms (" + failingPasses[i]
                        + " passes)", lastStepError[i]);
            }
        }
        failedSteps = 0;
        attemptedSteps = 0;
    }

    /**
     * Makes the calling thread the store's writer; two at once is a bug that would corrupt the store, so it fails
     * the engine instead of writing.
     */
    private boolean enterWriter() {
        Thread current = Thread.currentThread();
        if (writer.compareAndSet(null, current)) {
            return true;
        }
        fail(new IllegalStateException("two threads write the store at once: " + writer.get() + " and " + current));
        return false;
    }

    private void exitWriter() {
        writer.set(null);
    }

    /**
     * Fails the engine (first call only): the rings refuse records from now on (dropped and counted, producers
     * waiting for room released), waiting snapshots give up, and the listener is told.
     */
    private void fail(Throwable cause) {
        if (!failure.compareAndSet(null, cause)) {
            return;
        }
        running = false;
        try {
            rings.fail();
            failureListener.accept(cause);
            LOG.log(System.Logger.Level.ERROR, "streammetrics aggregator failed; the engine is FAILED: records are "
                    + "dropped and counted, snapshots are refused", cause);
        } catch (Throwable secondary) {
            cause.addSuppressed(secondary);
        }
    }

    /** Best effort: the self-metrics once more, so that a reader of the store file sees the failure. */
    private void writeFinalSelfMetrics() {
        if (!writer.compareAndSet(null, Thread.currentThread())) {
            return;
        }
        try {
            selfMetrics.refresh(this);
        } catch (Throwable ignored) {
            // The engine has failed already and says so; a store too broken to take its self-metrics adds nothing.
        } finally {
            exitWriter();
        }
    }

    private void housekeeping() {
        selfMetrics.refresh(this);
        store.heartbeat(nowMillis);
    }

    /**
     * One pass over every ring: drains its events and sweeps its counter cells, and its histogram cells if asked.
     * Returns the events applied.
     */
    int drainOnce(boolean sweepHistograms) {
        nowMillis = clock.epochMillis();
        rings.advanceCoarseClock(nowMillis);
        int work = 0;
        for (ProducerRing ring : rings.rings()) {
            // Each step on its own: one failing ring or step must not keep the others from being drained.
            budget = BATCH;
            try {
                hook(Step.DRAIN);
                ring.drainTo(this);
                work += ring.drainExemplars(this);
            } catch (Exception e) {
                caught(Step.DRAIN, e);
            }
            work += BATCH - budget;
            try {
                hook(Step.COUNTER_SWEEP);
                ring.sweepCounters(this);
            } catch (Exception e) {
                caught(Step.COUNTER_SWEEP, e);
            }
            if (sweepHistograms) {
                try {
                    hook(Step.HISTOGRAM_SWEEP);
                    ring.sweepHistograms(this);
                } catch (Exception e) {
                    caught(Step.HISTOGRAM_SWEEP, e);
                }
            }
        }
        try {
            work += callbackWrites.drain(this);
        } catch (Exception e) {
            caught(Step.DRAIN, e);
        }
        return work;
    }

    /** A callback gauge's sample, from the snapshot side ({@link CallbackWrites}). */
    @Override
    public void gaugeSample(int seriesId, double value) {
        if (setGauge(seriesId, value)) {
            store.touch(seriesId, nowMillis);
        }
    }

    /** A callback counter's growth, from the snapshot side ({@link CallbackWrites}). */
    @Override
    public void counterSample(int seriesId, double amount) {
        if (addToCounter(seriesId, amount)) {
            store.touch(seriesId, nowMillis);
        }
    }

    /** Sets a gauge unless the value is NaN (counted); a ring event and a callback sample take the same rule. */
    private boolean setGauge(int seriesId, double value) {
        if (Double.isNaN(value)) {
            rejectedNan++;
            return false;
        }
        store.gaugeSet(seriesId, value);
        return true;
    }

    /** Adds to a counter unless the amount is NaN, negative or infinite (counted); for ring events and samples alike. */
    private boolean addToCounter(int seriesId, double amount) {
        if (!acceptNonNegativeFinite(amount)) {
            return false;
        }
        store.counterAddDouble(seriesId, amount);
        return true;
    }

    @Override
    public void counterDelta(int seriesId, long delta) {
        store.counterAdd(seriesId, delta);
        store.touch(seriesId, nowMillis);
    }

    @Override
    public void histogramDelta(int seriesId, HistogramDelta delta) {
        store.histogramAdd(delta);
        store.touch(seriesId, nowMillis);
    }

    /**
     * Wakes the aggregator and waits until it has applied every event published before this call, so that a
     * snapshot taken next sees every record that happened before it, however long the aggregator had been parked.
     *
     * @return false if the aggregator is not running (not started, stopped, failed: see {@link #failure()}) or did
     * not catch up within the timeout (counted in {@code streammetrics_snapshot_timeouts_total})
     */
    public boolean awaitApplied(long timeoutNanos) {
        if (!running) {
            return false;
        }
        ProducerRing[] current = rings.rings();
        long[] targets = new long[current.length];
        for (int i = 0; i < current.length; i++) {
            targets[i] = current[i].published();
        }
        refreshRequested = true;
        // Every pass numbered above the one that has started by now reads the request after it was set, so it sees
        // every record made before this call, cells included: wait for the next one to complete. When the
        // aggregator is parked that is the pass the wake-up below starts, not the one after it.
        long passTarget = passesStarted + 1;
        rings.wakeConsumer();
        long deadline = System.nanoTime() + timeoutNanos;
        int spins = 0;
        for (int i = 0; i <= current.length; i++) {
            while (i < current.length ? current[i].consumed() < targets[i] : passes < passTarget) {
                if (!running) {
                    return false;
                }
                if (System.nanoTime() - deadline > 0) {
                    countAwaitTimeout(timeoutNanos);
                    return false;
                }
                spins++;
                if (spins < 100) {
                    Thread.onSpinWait();
                } else if (spins < 1_000) {
                    // A pass takes microseconds; a timed park would sleep for the timer slack (about 50 us), so
                    // give the aggregator the core instead.
                    Thread.yield();
                } else {
                    rings.wakeConsumer();
                    LockSupport.parkNanos(1_000);
                }
            }
        }
        return true;
    }

    private void countAwaitTimeout(long timeoutNanos) {
        awaitTimeouts.incrementAndGet();
        if (awaitTimeoutLogged.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "a snapshot stopped waiting for the aggregator after "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms and may miss the latest records (logged "
                    + "once; counted in streammetrics_snapshot_timeouts_total)");
        }
    }

    /** Snapshots that stopped waiting for the aggregator before it had applied every earlier record. */
    long awaitTimeouts() {
        return awaitTimeouts.get();
    }

    /**
     * Stops the thread after it has applied everything published so far, then applies what is left and writes the
     * final self-metrics. From here on the calling thread is the store's writer (see {@link #drainAfterStop()}); the
     * aggregator cannot be started again. Waits for the thread to end even if interrupted (a thread still running
     * beside the caller would be a second writer), and restores the interrupt.
     */
    public void stop() {
        Thread t;
        synchronized (this) {
            t = thread;
            running = false;
            stopped = true;
        }
        if (t != null) {
            LockSupport.unpark(t);
            boolean interrupted = false;
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure.get() == null) {
            drainAfterStop();
        } else {
            // What was dropped since the failure (producers released, records refused) is counted in the store.
            writeFinalSelfMetrics();
        }
    }

    /**
     * Applies whatever reached the rings after the thread stopped (records that raced with close) and refreshes the
     * self-metrics. Only after {@link #stop()}: the aggregator thread has ended, and this lock makes the caller the
     * only writer. Exceptions are survived and counted as in a pass; an {@link Error} fails the engine. Does nothing
     * once the engine has failed.
     */
    public synchronized void drainAfterStop() {
        if (failure.get() != null || !enterWriter()) {
            return;
        }
        try {
            while (drainOnce(true) > 0) {
                // keep going until every ring is empty
            }
            housekeepingGuarded();
        } catch (Throwable e) {
            fail(e);
        } finally {
            failedSteps = 0;
            attemptedSteps = 0;
            exitWriter();
        }
    }

    /** The error that stopped the aggregator, or null while it has not failed. */
    public Throwable failure() {
        return failure.get();
    }

    /** Errors caught in passes and survived. */
    public long errors() {
        return errors;
    }

    /** The latest error survived, or null. */
    public Throwable lastError() {
        return lastError;
    }

    /** Time since the last completed pass, or -1 if none has completed. */
    public long nanosSinceLastPass() {
        long last = lastPassNanos;
        return last == 0 ? -1 : Math.max(0, System.nanoTime() - last);
    }

    /** Whether the aggregator thread is alive. */
    public synchronized boolean threadAlive() {
        return thread != null && thread.isAlive();
    }

    /** Sets (or clears, with null) the hook run before each guarded step: for fault-injection tests only. */
    public void stepHook(StepHook hook) {
        this.stepHook = hook;
    }

    @Override
    public boolean onEvent(RecordEvent event, long sequence, boolean endOfBatch) {
        try {
            apply(event.seriesId(), event.operation(), event.value());
        } catch (RuntimeException e) {
            rejectedInvalid++;
        }
        return --budget > 0;
    }

    private void apply(int seriesId, int operation, long value) {
        switch (RecordEvent.operationCode(operation)) {
            case RecordEvent.COUNTER_ADD:
                if (value < 0) {
                    rejectedNegative++;
                    return;
                }
                store.counterAdd(seriesId, value);
                break;
            case RecordEvent.COUNTER_ADD_DOUBLE:
                if (!addToCounter(seriesId, Double.longBitsToDouble(value))) {
                    return;
                }
                break;
            case RecordEvent.GAUGE_SET:
                if (!setGauge(seriesId, Double.longBitsToDouble(value))) {
                    return;
                }
                break;
            case RecordEvent.GAUGE_ADD: {
                double delta = Double.longBitsToDouble(value);
                if (Double.isNaN(delta)) {
                    rejectedNan++;
                    return;
                }
                if (Double.isInfinite(delta)) {
                    rejectedInfinite++;
                    return;
                }
                store.gaugeAdd(seriesId, delta);
                break;
            }
            case RecordEvent.HISTOGRAM_RECORD:
                if (value < 0) {
                    rejectedNegative++;
                    return;
                }
                if (value > highestTrackable) {
                    clampedAboveRange++;
                    value = highestTrackable;
                }
                store.histogramRecord(RecordEvent.histogramIndex(operation), value, 1);
                break;
            default:
                rejectedInvalid++;
                return;
        }
        applied++;
        store.touch(seriesId, nowMillis);
    }

    /** An exemplar from a ring's exemplar buffer ({@link ProducerRing#publishExemplar}). */
    @Override
    public void onMessage(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
        if (msgTypeId != ProducerRing.EXEMPLAR_MESSAGE || length < ProducerRing.EXEMPLAR_MESSAGE_LENGTH) {
            rejectedInvalid++;
            return;
        }
        int seriesId = buffer.getInt(index);
        int histogramIndex = buffer.getInt(index + 4);
        long value = buffer.getLong(index + 8);
        if (histogramIndex >= 0) {
            // The record itself was counted as rejected or clamped; its exemplar follows the same rule.
            if (value < 0) {
                return;
            }
            value = Math.min(value, highestTrackable);
        } else {
            double amount = Double.longBitsToDouble(value);
            if (!(amount >= 0) || Double.isInfinite(amount)) {
                return;
            }
        }
        try {
            store.offerExemplar(seriesId, histogramIndex, value, buffer.getLong(index + 16), buffer.getLong(index + 24),
                    buffer.getLong(index + 32), buffer.getLong(index + 40), buffer.getLong(index + 48),
                    exemplarMinRetentionMillis);
        } catch (RuntimeException e) {
            rejectedInvalid++;
        }
    }

    private boolean acceptNonNegativeFinite(double amount) {
        if (Double.isNaN(amount)) {
            rejectedNan++;
            return false;
        }
        if (amount < 0) {
            rejectedNegative++;
            return false;
        }
        if (Double.isInfinite(amount)) {
            rejectedInfinite++;
            return false;
        }
        return true;
    }

    long applied() {
        return applied;
    }

    long rejectedNan() {
        return rejectedNan;
    }

    long rejectedNegative() {
        return rejectedNegative;
    }

    long rejectedInfinite() {
        return rejectedInfinite;
    }

    long rejectedInvalid() {
        return rejectedInvalid;
    }

    long clampedAboveRange() {
        return clampedAboveRange;
    }
}
