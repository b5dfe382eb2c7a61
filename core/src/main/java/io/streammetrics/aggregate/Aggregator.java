package io.streammetrics.aggregate;

import com.lmax.disruptor.EventPoller;
import io.streammetrics.EngineClock;
import io.streammetrics.ring.CounterCells;
import io.streammetrics.ring.HistogramCells;
import io.streammetrics.ring.ProducerRing;
import io.streammetrics.ring.ProducerRings;
import io.streammetrics.ring.RecordEvent;
import io.streammetrics.store.HistogramDelta;
import io.streammetrics.store.MetricStore;
import org.agrona.concurrent.IdleStrategy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

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
 */
public final class Aggregator implements EventPoller.Handler<RecordEvent>, CounterCells.CounterSink,
        HistogramCells.HistogramSink {
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

    private final MetricStore store;
    private final ProducerRings rings;
    private final IdleStrategy idleStrategy;
    private final EngineClock clock;
    private final SelfMetrics selfMetrics;
    private final long highestTrackable;
    private final long batchWindowNanos;
    private volatile boolean running;
    /** Completed passes (drain and cell sweep); snapshots wait for it to move past their start. */
    private volatile long passes;
    /** Number of the pass under way (or last run), written before the pass reads {@link #refreshRequested}. */
    private volatile long passesStarted;
    /** Set by a waiting snapshot so that the pass it waits for also refreshes the self-metrics. */
    private volatile boolean refreshRequested;
    private Thread thread;
    private long nowMillis;
    private int budget;
    private long applied;
    private long rejectedNan;
    private long rejectedNegative;
    private long rejectedInfinite;
    private long rejectedInvalid;
    private long clampedAboveRange;

    /**
     * @param batchWindowNanos how long to let events accumulate after a pass that found only a few (0: poll again at
     *                         once, as the idle strategy decides)
     */
    public Aggregator(MetricStore store, ProducerRings rings, IdleStrategy idleStrategy, EngineClock clock,
                      SelfMetrics selfMetrics, long batchWindowNanos) {
        this.store = store;
        this.rings = rings;
        this.idleStrategy = idleStrategy;
        this.clock = clock;
        this.selfMetrics = selfMetrics;
        this.highestTrackable = store.histogramLayout().highestTrackableValue();
        this.batchWindowNanos = batchWindowNanos;
    }

    /** Starts the aggregator thread. */
    public synchronized void start(String threadName) {
        if (thread != null) {
            return;
        }
        running = true;
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        rings.consumer(thread);
        thread.start();
    }

    private void run() {
        long nextHousekeeping = 0;
        long nextHistogramSweep = 0;
        long nextRetire = System.nanoTime() + RETIRE_INTERVAL_NANOS;
        while (running) {
            // Announce the pass, then take the request (both volatile, in this order): a snapshot that set its
            // request and then read this pass's number is served by the next pass, which reads the request after
            // it (see awaitApplied). Taken atomically, so that a request set right after this read is not cleared
            // unseen.
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
            int work = drainOnce(sweepHistograms);
            long now = System.nanoTime();
            if (now - nextHousekeeping >= 0 || refresh) {
                nextHousekeeping = now + HOUSEKEEPING_INTERVAL_NANOS;
                housekeeping();
                if (now - nextRetire >= 0) {
                    nextRetire = now + RETIRE_INTERVAL_NANOS;
                    rings.retireIdleRings(this);
                }
            }
            passes++;
            if (work > 0 && work < BATCH && batchWindowNanos > 0) {
                // A trickle: polling right behind the producers would pull the cursor's and the slots' cache lines
                // back and forth on every record and keep a core busy (AggregatorIdleCpu: 22 % of a core at 100,000
                // records/s with a 100 us window, 4 % with 1 ms). Let a batch build up instead; a filling ring or a
                // snapshot wakes us early.
                idleStrategy.reset();
                LockSupport.parkNanos(batchWindowNanos);
            } else {
                idleStrategy.idle(work);
            }
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
        int work = 0;
        for (ProducerRing ring : rings.rings()) {
            budget = BATCH;
            try {
                ring.drainTo(this);
            } catch (Exception e) {
                // onEvent never throws; a poller failure must not kill the only writer.
                LOG.log(System.Logger.Level.ERROR, "aggregator failed to poll a ring", e);
            }
            work += BATCH - budget;
            ring.sweepCounters(this);
            if (sweepHistograms) {
                ring.sweepHistograms(this);
            }
        }
        return work;
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
     * @return false if the aggregator is not running or did not catch up within the timeout
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
                if (!running || System.nanoTime() - deadline > 0) {
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

    /**
     * Stops the thread after it has applied everything published so far, then writes the final self-metrics. From
     * here on the calling thread is the store's writer (see {@link #drainAfterStop()}).
     */
    public void stop() throws InterruptedException {
        Thread t;
        synchronized (this) {
            t = thread;
            running = false;
        }
        if (t != null) {
            t.join();
        }
        drainAfterStop();
    }

    /**
     * Applies whatever reached the rings after the thread stopped (records that raced with close) and refreshes the
     * self-metrics. Only after {@link #stop()}: the aggregator thread has ended, and this lock makes the caller the
     * only writer.
     */
    public synchronized void drainAfterStop() {
        while (drainOnce(true) > 0) {
            // keep going until every ring is empty
        }
        housekeeping();
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
            case RecordEvent.COUNTER_ADD_DOUBLE: {
                double amount = Double.longBitsToDouble(value);
                if (!acceptNonNegativeFinite(amount)) {
                    return;
                }
                store.counterAddDouble(seriesId, amount);
                break;
            }
            case RecordEvent.GAUGE_SET: {
                double gauge = Double.longBitsToDouble(value);
                if (Double.isNaN(gauge)) {
                    rejectedNan++;
                    return;
                }
                store.gaugeSet(seriesId, gauge);
                break;
            }
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
