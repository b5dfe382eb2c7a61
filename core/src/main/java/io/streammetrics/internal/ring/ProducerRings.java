package io.streammetrics.internal.ring;

import io.streammetrics.common.EngineClock;
import io.streammetrics.common.HistogramLayout;
import io.streammetrics.internal.cell.CellBudget;
import io.streammetrics.internal.cell.CounterCells;
import io.streammetrics.internal.cell.HeatPeriod;
import io.streammetrics.internal.cell.HistogramCells;
import io.streammetrics.internal.cell.SharedCounterCells;
import io.streammetrics.internal.store.HistogramDelta;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * The record path's entry: gives every recording thread its own single-producer ring.
 *
 * <p>A thread's first record claims a dedicated ring (up to {@code maxDedicatedRings}); later threads share one
 * multi-producer ring and striped counter cells ({@link SharedCounterCells}), so memory stays bounded however many
 * threads record, and counter increments never go through a ring. The aggregator drains every ring and
 * retires the ring of a thread that has ended once it is empty. See the package documentation for why.
 */
public final class ProducerRings {
    private final int ringSize;
    private final int maxSeries;
    private final int maxDedicatedRings;
    private final boolean block;
    private final ProducerRing sharedRing;
    /** Layout of the histogram cells, or null when histograms always travel as events. */
    private final HistogramLayout cellLayout;
    private final CellBudget cellBudget;
    /** The aggregator's sweep periods, against which threads measure which histograms are hot enough for a cell. */
    private final HeatPeriod heatPeriod = new HeatPeriod();
    /**
     * What a sweep hands to the store, reused for every cell of every ring: only the aggregator sweeps (or the
     * closing thread once the aggregator has stopped), one cell at a time.
     */
    private final HistogramDelta cellDelta;
    private final ThreadLocal<ProducerRing> current = ThreadLocal.withInitial(this::acquire);
    /** Shared ring first, then the dedicated rings; replaced (copy-on-write) under this object's lock. */
    private volatile ProducerRing[] rings;
    private long retiredPublished;
    private long retiredDroppedFull;
    private long retiredDroppedClosed;
    private long retiredDroppedFailed;
    private boolean closed;
    /** Set when a thread had to join the shared ring; the aggregator then retires idle rings without waiting. */
    private volatile boolean retireRequested;
    /** The thread draining the rings, woken by a producer whose ring is filling up. */
    private volatile Thread consumer;
    /**
     * Wall-clock millis as of the aggregator's latest pass: what {@link ExemplarGate}s compare with, so that the
     * record path reads no system clock. On its own cache line: written once a pass, read by every exemplar record.
     */
    private final CoarseClock coarse = new CoarseClock();
    private volatile EngineClock exemplarClock = EngineClock.SYSTEM;
    private volatile long exemplarIntervalMillis = 90;
    /** The automatic exemplar form's source, or null when it is off (set by the engine before any handle exists). */
    private volatile CurrentSpanSource currentSpan;
    private long retiredExemplarsDropped;

    /** Rings without histogram cells: every histogram record travels as an event. */
    public ProducerRings(int ringSize, int maxDedicatedRings, boolean block, int maxSeries) {
        this(ringSize, maxDedicatedRings, block, maxSeries, null, 0);
    }

    /**
     * @param ringSize slots per ring, a power of two
     * @param maxDedicatedRings threads that get a ring of their own; the rest share one
     * @param block whether a full ring makes the record wait ({@code BLOCK}) rather than drop ({@code DROP})
     * @param cellLayout the store's histogram layout, for {@link HistogramCells}; null for none
     * @param cellMemory heap bytes all threads' histogram cells may take together (0: no cells)
     */
    public ProducerRings(int ringSize, int maxDedicatedRings, boolean block, int maxSeries,
                         HistogramLayout cellLayout, long cellMemory) {
        this.maxSeries = maxSeries;
        this.ringSize = ringSize;
        this.maxDedicatedRings = maxDedicatedRings;
        this.block = block;
        this.cellLayout = cellMemory > 0 ? cellLayout : null;
        this.cellBudget = new CellBudget(cellMemory);
        this.cellDelta = this.cellLayout == null ? null : new HistogramDelta(cellLayout);
        this.sharedRing = new ProducerRing(ringSize, true, block, null, this, maxSeries);
        this.rings = new ProducerRing[] {sharedRing};
    }

    /** A dedicated ring's histogram cells, or null when they are turned off. */
    HistogramCells newHistogramCells() {
        return cellLayout == null ? null : new HistogramCells(cellLayout, cellBudget, heatPeriod, cellDelta);
    }

    /** The sweep periods: the aggregator advances them after each scheduled histogram sweep. */
    public HeatPeriod heatPeriod() {
        return heatPeriod;
    }

    /**
     * Sets the exemplar sampling: the clock that stamps exemplars and the sample interval of every
     * {@link ExemplarGate} (set by the engine before any handle records).
     */
    public void exemplarSampling(EngineClock clock, long intervalMillis) {
        this.exemplarClock = clock;
        this.exemplarIntervalMillis = intervalMillis;
        this.coarse.millis = clock.epochMillis();
    }

    /** Turns the automatic exemplar form on with {@code source} (null: off); before any handle is made. */
    public void currentSpanSource(CurrentSpanSource source) {
        this.currentSpan = source;
    }

    /** The automatic exemplar form's source, or null when it is off; handles keep it in a final field. */
    public CurrentSpanSource currentSpanSource() {
        return currentSpan;
    }

    /** The clock that stamps exemplars. */
    public EngineClock exemplarClock() {
        return exemplarClock;
    }

    long exemplarIntervalMillis() {
        return exemplarIntervalMillis;
    }

    /** The coarse clock, epoch millis as of the aggregator's latest pass. */
    public long coarseMillis() {
        return coarse.millis;
    }

    CoarseClock coarseClock() {
        return coarse;
    }

    /** Advances the coarse clock (aggregator only, once a pass). */
    public void advanceCoarseClock(long nowMillis) {
        coarse.millis = nowMillis;
    }

    /** Exemplars dropped because a ring's exemplar buffer was full or the engine closed. */
    public synchronized long exemplarsDropped() {
        long total = retiredExemplarsDropped;
        for (ProducerRing ring : rings) {
            total += ring.exemplarsDropped();
        }
        return total;
    }

    /** The calling thread's ring (claimed on its first record). */
    public ProducerRing current() {
        return current.get();
    }

    /** Publishes one event on the calling thread's ring. */
    public void publish(int seriesId, int operation, long value) {
        current.get().publish(seriesId, operation, value);
    }

    /** Names the thread that drains the rings, so that a producer whose ring fills up can wake it. */
    public void consumer(Thread thread) {
        this.consumer = thread;
    }

    /** Wakes the draining thread if it is parked (a no-op if it is running). */
    public void wakeConsumer() {
        Thread thread = consumer;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    private synchronized ProducerRing acquire() {
        if (closed || rings.length - 1 >= maxDedicatedRings) {
            sharedRing.joinShared();
            if (!closed) {
                // Rings of ended threads may be waiting for the next scheduled retirement: ask for it now, so that
                // the threads after this one find a ring of their own again.
                retireRequested = true;
                wakeConsumer();
            }
            return sharedRing;
        }
        ProducerRing ring = new ProducerRing(ringSize, false, block, Thread.currentThread(), this, maxSeries);
        ProducerRing[] next = Arrays.copyOf(rings, rings.length + 1);
        next[next.length - 1] = ring;
        rings = next;
        return ring;
    }

    /** Whether a thread joined the shared ring since the last retirement (the aggregator then retires early). */
    public boolean retireRequested() {
        return retireRequested;
    }

    /** Rings to drain: the aggregator's view, replaced whenever a ring joins or retires. */
    public ProducerRing[] rings() {
        return rings;
    }

    /**
     * Removes the rings of ended threads that the aggregator has emptied (events drained, cells swept). Called by
     * the aggregator only, right after a sweep.
     *
     * @return whether any ring was retired
     */
    public synchronized <S extends CounterCells.CounterSink & HistogramCells.HistogramSink> boolean retireIdleRings(S sink) {
        retireRequested = false;
        ProducerRing[] current = rings;
        int kept = 0;
        ProducerRing[] next = new ProducerRing[current.length];
        int i = 0;
        try {
            for (; i < current.length; i++) {
                ProducerRing ring = current[i];
                if (ring.ownerGone() && ring.consumed() == ring.published() && ring.exemplarsDrained()) {
                    // The thread has ended (isAlive() == false orders its last writes before this read): final
                    // totals. A sweep that throws leaves the ring in place, to be swept again next time.
                    ring.sweepCounters(sink);
                    ring.sweepHistograms(sink);
                    ring.releaseCells();
                    ring.retire();
                    retiredPublished += ring.published();
                    retiredDroppedFull += ring.droppedFull();
                    retiredDroppedClosed += ring.droppedClosed();
                    retiredDroppedFailed += ring.droppedFailed();
                    retiredExemplarsDropped += ring.exemplarsDropped();
                } else {
                    next[kept++] = ring;
                }
            }
        } finally {
            // Also when a sweep threw: the rings retired so far leave the list (their totals are counted and their
            // cells' memory returned, so they must not be retired twice); the rest stay.
            for (; i < current.length; i++) {
                next[kept++] = current[i];
            }
            if (kept != current.length) {
                rings = Arrays.copyOf(next, kept);
            }
        }
        return kept != current.length;
    }

    /** Makes every ring refuse new events; records from now on are dropped and counted as {@code closed}. */
    public synchronized void close() {
        closed = true;
        for (ProducerRing ring : rings) {
            ring.close();
        }
    }

    /**
     * Makes every ring refuse new events because the engine failed, and releases producers waiting for room under
     * {@code BLOCK}: records from now on are dropped and counted as {@code failed}.
     */
    public synchronized void fail() {
        closed = true;
        for (ProducerRing ring : rings) {
            ring.fail();
        }
    }

    /** Events published on all rings, retired ones included. */
    public synchronized long published() {
        long total = retiredPublished;
        for (ProducerRing ring : rings) {
            total += ring.published();
        }
        return total;
    }

    /** Events dropped because a ring was full. */
    public synchronized long droppedFull() {
        long total = retiredDroppedFull;
        for (ProducerRing ring : rings) {
            total += ring.droppedFull();
        }
        return total;
    }

    /** Events dropped because the engine was closed. */
    public synchronized long droppedClosed() {
        long total = retiredDroppedClosed;
        for (ProducerRing ring : rings) {
            total += ring.droppedClosed();
        }
        return total;
    }

    /** Events dropped because the engine had failed. */
    public synchronized long droppedFailed() {
        long total = retiredDroppedFailed;
        for (ProducerRing ring : rings) {
            total += ring.droppedFailed();
        }
        return total;
    }

    /** Published events not yet applied by the aggregator. */
    public long pending() {
        long total = 0;
        for (ProducerRing ring : rings) {
            total += ring.published() - ring.consumed();
        }
        return total;
    }

    /** The smallest number of free slots over all rings. */
    public long minRemainingCapacity() {
        long min = Long.MAX_VALUE;
        for (ProducerRing ring : rings) {
            min = Math.min(min, ring.remainingCapacity());
        }
        return min;
    }

    /** Threads holding a dedicated ring. */
    public int dedicatedRings() {
        return rings.length - 1;
    }

    public int ringSize() {
        return ringSize;
    }

    /** A padded volatile long: the coarse clock must not share a cache line with fields written elsewhere. */
    static final class CoarseClock {
        long p1, p2, p3, p4, p5, p6, p7;
        volatile long millis;
        long q1, q2, q3, q4, q5, q6, q7;
    }
}
