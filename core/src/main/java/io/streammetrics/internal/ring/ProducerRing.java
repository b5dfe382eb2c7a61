package io.streammetrics.internal.ring;

import io.streammetrics.internal.cell.CounterCells;
import io.streammetrics.internal.cell.HistogramCells;
import io.streammetrics.internal.cell.RingFill;
import io.streammetrics.internal.cell.SharedCounterCells;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.DataProvider;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.MultiProducerSequencer;
import com.lmax.disruptor.SingleProducerSequencer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

/**
 * One ring: a Disruptor sequencer claiming and publishing slots of a pre-allocated {@code long[]}, and the
 * aggregator's {@link EventPoller} on it. A slot is two longs (series id and operation word, then the value): 16
 * bytes, four events per cache line, no object per event and no pointer to chase, so a ring large enough to ride out
 * the aggregator being descheduled for a few milliseconds stays small (2 MiB for 131,072 events).
 *
 * <p>A <em>dedicated</em> ring has a single producer (the thread that owns it) and uses Disruptor's
 * {@link SingleProducerSequencer}: a claim reads and writes fields no other producer touches, and a publish is one
 * release store. The <em>shared</em> ring uses the {@link MultiProducerSequencer} and takes the threads that arrive
 * after every dedicated ring is in use.
 */
public final class ProducerRing implements RingFill {
    private static final VarHandle DROPPED_FULL;
    private static final VarHandle DROPPED_CLOSED;
    private static final VarHandle DROPPED_FAILED;
    private static final VarHandle EXEMPLARS_DROPPED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            DROPPED_FULL = lookup.findVarHandle(ProducerRing.class, "droppedFull", long.class);
            DROPPED_CLOSED = lookup.findVarHandle(ProducerRing.class, "droppedClosed", long.class);
            DROPPED_FAILED = lookup.findVarHandle(ProducerRing.class, "droppedFailed", long.class);
            EXEMPLARS_DROPPED = lookup.findVarHandle(ProducerRing.class, "exemplarsDropped", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * An exemplar message: int series id, int histogram index (-1: a counter), then longs: value, trace id high and
     * low, span id, timestamp (epoch millis), store offset of the exemplar labels.
     */
    public static final int EXEMPLAR_MESSAGE_LENGTH = 56;
    /** Message type of an exemplar in the exemplar buffer. */
    public static final int EXEMPLAR_MESSAGE = 1;
    /**
     * Bytes of a ring's exemplar buffer: 64 exemplars (each message plus Agrona's 8-byte record header). The gates let
     * through about 11 exemplars a second per series, and the aggregator empties the buffer on every pass.
     */
    static final int EXEMPLAR_BUFFER_BYTES = 64 * (EXEMPLAR_MESSAGE_LENGTH + 8);

    /** Unused longs at both ends of the slot array, so that no other object shares a cache line with a slot. */
    private static final int PAD = 16;

    private final SingleProducerSequencer single;
    private final MultiProducerSequencer multi;
    private final com.lmax.disruptor.Sequencer sequencer;
    private final long[] slots;
    private final int mask;
    private final EventPoller<RecordEvent> poller;
    /** This thread's counter totals; null on the shared ring. */
    private final CounterCells counterCells;
    /** The counter totals of the shared ring's threads; null on a dedicated ring. */
    private final SharedCounterCells sharedCounterCells;
    /** This thread's histogram counts; null on the shared ring and when cells are turned off. */
    private final HistogramCells histogramCells;
    /**
     * Exemplars on their way to the aggregator, beside the events: an exemplar is 56 bytes where an event slot is
     * 16, and it is rare (a gate lets one through per series every 90 ms), so it travels in Agrona's many-to-one
     * ring buffer (a claim is a CAS, paid only by sampled records) rather than widening every event slot.
     */
    private final RingBuffer exemplars;
    private final UnsafeBuffer exemplarBuffer;
    private final boolean shared;
    private final boolean block;
    private final WeakReference<Thread> owner;
    private final ProducerRings parent;
    /** Every this many claims a producer checks how far the aggregator lags behind it. */
    private final long lagCheckMask;
    /** Lag beyond which the producer wakes the aggregator instead of waiting for its next scheduled wake-up. */
    private final long wakeThreshold;
    private volatile boolean closed;
    /** Set with {@link #closed} when the engine failed: what is refused from then on counts as {@code failed}. */
    private volatile boolean failed;
    private volatile boolean retired;
    @SuppressWarnings("unused")
    private long droppedFull;
    @SuppressWarnings("unused")
    private long droppedClosed;
    @SuppressWarnings("unused")
    private long droppedFailed;
    @SuppressWarnings("unused")
    private long exemplarsDropped;

    ProducerRing(int size, boolean shared, boolean block, Thread owner, ProducerRings parent, int maxSeries) {
        // The wait strategy is never waited on (the aggregator polls); BusySpin's signal is a no-op, so a publish
        // costs no more than the cursor's release store.
        if (shared) {
            this.multi = new MultiProducerSequencer(size, new BusySpinWaitStrategy());
            this.single = null;
            this.sequencer = multi;
        } else {
            this.single = new SingleProducerSequencer(size, new BusySpinWaitStrategy());
            this.multi = null;
            this.sequencer = single;
        }
        this.slots = new long[PAD + 2 * size + PAD];
        this.mask = size - 1;
        this.poller = sequencer.newPoller(new SlotReader(slots, mask));
        this.counterCells = shared ? null : new CounterCells();
        this.sharedCounterCells = shared ? new SharedCounterCells(maxSeries, SharedCounterCells.defaultStripes()) : null;
        this.histogramCells = shared ? null : parent.newHistogramCells();
        sequencer.addGatingSequences(poller.getSequence());
        this.exemplars = new ManyToOneRingBuffer(new UnsafeBuffer(
                ByteBuffer.allocateDirect(EXEMPLAR_BUFFER_BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
        this.exemplarBuffer = (UnsafeBuffer) exemplars.buffer();
        this.shared = shared;
        this.block = block;
        this.owner = new WeakReference<>(owner);
        this.parent = parent;
        this.lagCheckMask = Math.max(1, Math.min(4096, size / 8)) - 1;
        this.wakeThreshold = size / 2;
    }

    /**
     * Adds to a counter: into this thread's cell on a dedicated ring, into the shared ring's striped cells on the
     * shared ring (never an event, so never dropped and never waiting for ring space), and as an event for the
     * aggregator to reject and count when the amount is negative. Never throws, never allocates.
     */
    public void addToCounter(int seriesId, long amount) {
        if (amount > 0 && !closed) {
            final CounterCells cells = this.counterCells;
            if (cells != null) {
                cells.add(seriesId, amount);
            } else {
                sharedCounterCells.add(seriesId, amount);
            }
        } else if (amount != 0) {
            publish(seriesId, RecordEvent.COUNTER_ADD, amount);
        }
    }

    /**
     * Records a histogram or timer value into this thread's cell for the histogram, or, when there is none (shared
     * ring, cell budget spent, value out of range, engine closed), publishes it as an event. Never throws, never
     * allocates after the thread's first record on the histogram.
     */
    public void recordHistogram(int seriesId, int histogramIndex, int operation, long value) {
        final HistogramCells cells = this.histogramCells;
        if (cells == null || closed || !cells.record(seriesId, histogramIndex, value, this)) {
            publish(seriesId, operation, value);
        }
    }

    /** {@link #recordHistogram} for {@code length} values from {@code values[offset]} on. */
    public void recordHistogramBatch(int seriesId, int histogramIndex, int operation, long[] values, int offset,
                                     int length) {
        final HistogramCells cells = this.histogramCells;
        if (cells == null || closed) {
            publishBatch(seriesId, operation, values, offset, length);
            return;
        }
        for (int i = offset, end = offset + length; i < end; i++) {
            long value = values[i];
            if (!cells.record(seriesId, histogramIndex, value, this)) {
                publish(seriesId, operation, value);
            }
        }
    }

    /** Hands the counter growth of this ring's thread (or threads, on the shared ring) to the aggregator (aggregator only). */
    public int sweepCounters(CounterCells.CounterSink sink) {
        return counterCells != null ? counterCells.sweep(sink) : sharedCounterCells.sweep(sink);
    }

    /** Prepares the shared counter cells for the calling thread, which has just joined the shared ring. */
    void joinShared() {
        sharedCounterCells.ensureStripe();
    }

    /** Hands what this thread recorded into histogram cells to the aggregator (aggregator only). */
    public int sweepHistograms(HistogramCells.HistogramSink sink) {
        return histogramCells == null ? 0 : histogramCells.sweep(sink);
    }

    /** Returns the histogram cells' memory to the budget (when the ring retires, after its last sweep). */
    void releaseCells() {
        if (histogramCells != null) {
            histogramCells.release();
        }
    }

    /**
     * Hands an exemplar to the aggregator, or counts it as dropped when the exemplar buffer is full or the engine
     * closed; never blocks, never throws, never allocates. The caller has passed its series' {@link ExemplarGate}.
     *
     * @param histogramIndex the histogram's record index, or -1 for a counter (then {@code value} holds a double's
     *                       bits)
     */
    public void publishExemplar(int seriesId, int histogramIndex, long value, long traceIdHigh, long traceIdLow,
                                long spanId, long timestampMillis, long labels) {
        if (closed) {
            EXEMPLARS_DROPPED.getAndAdd(this, 1L);
            return;
        }
        final RingBuffer exemplars = this.exemplars;
        final int at = exemplars.tryClaim(EXEMPLAR_MESSAGE, EXEMPLAR_MESSAGE_LENGTH);
        if (at < 0) {
            EXEMPLARS_DROPPED.getAndAdd(this, 1L);
            return;
        }
        final UnsafeBuffer b = exemplarBuffer;
        b.putInt(at, seriesId);
        b.putInt(at + 4, histogramIndex);
        b.putLong(at + 8, value);
        b.putLong(at + 16, traceIdHigh);
        b.putLong(at + 24, traceIdLow);
        b.putLong(at + 32, spanId);
        b.putLong(at + 40, timestampMillis);
        b.putLong(at + 48, labels);
        // Agrona's commit is the release store that publishes the message.
        exemplars.commit(at);
    }

    /** Hands the waiting exemplars to {@code handler} (aggregator only); returns how many. */
    public int drainExemplars(MessageHandler handler) {
        return exemplars.read(handler);
    }

    /** Whether no exemplar waits for the aggregator (a ring retires only then). */
    boolean exemplarsDrained() {
        return exemplars.size() == 0;
    }

    /** Exemplars dropped on this ring (buffer full, engine closed). */
    public long exemplarsDropped() {
        return (long) EXEMPLARS_DROPPED.getVolatile(this);
    }

    /** Publishes one event, or counts it as dropped; never throws, never allocates. */
    public void publish(int seriesId, int operation, long value) {
        if (closed) {
            countDropped(refusedCounter(), 1);
            return;
        }
        if (shared) {
            publishShared(seriesId, operation, value);
            return;
        }
        final SingleProducerSequencer single = this.single;
        if (!single.hasAvailableCapacity(1) && !awaitCapacity(1)) {
            countDropped(closed ? refusedCounter() : DROPPED_FULL, 1);
            return;
        }
        final long sequence = single.next();
        write(sequence, seriesId, operation, value);
        single.publish(sequence);
        if ((sequence & lagCheckMask) == 0) {
            wakeAggregatorIfLagging(sequence);
        }
    }

    /**
     * The aggregator parks for up to a few milliseconds when idle; a burst must not fill the ring meanwhile. Checked
     * once every {@code lagCheckMask + 1} claims, so the record path pays one branch, not a read of the consumer's
     * cache line.
     */
    private void wakeAggregatorIfLagging(long sequence) {
        if (sequence - poller.getSequence().get() > wakeThreshold) {
            parent.wakeConsumer();
        }
    }

    /**
     * Whether this dedicated ring is at least half full (owning thread only): then a histogram that is hot in the
     * current period takes its cell at once rather than fill the ring ({@link HistogramCells}). Reads the
     * aggregator's position only when the producer's cached copy of it says the ring may be that full.
     */
    @Override
    public boolean halfFull() {
        return !single.hasAvailableCapacity(sequencer.getBufferSize() / 2);
    }

    private void write(long sequence, int seriesId, int operation, long value) {
        final int at = PAD + 2 * ((int) sequence & mask);
        slots[at] = ((long) seriesId << 32) | (operation & 0xFFFF_FFFFL);
        slots[at + 1] = value;
    }

    private void publishShared(int seriesId, int operation, long value) {
        long sequence;
        while (true) {
            try {
                sequence = multi.tryNext();
                break;
            } catch (InsufficientCapacityException e) {
                if (!block) {
                    countDropped(DROPPED_FULL, 1);
                    return;
                }
                if (closed) {
                    countDropped(refusedCounter(), 1);
                    return;
                }
                LockSupport.parkNanos(1_000);
            }
        }
        write(sequence, seriesId, operation, value);
        multi.publish(sequence);
        if ((sequence & lagCheckMask) == 0) {
            wakeAggregatorIfLagging(sequence);
        }
    }

    /**
     * Publishes {@code length} values for one series in as few claims as the ring allows (one claim per ring-full).
     * Under {@code DROP}, what does not fit is dropped and counted.
     */
    public void publishBatch(int seriesId, int operation, long[] values, int offset, int length) {
        int done = 0;
        while (done < length) {
            if (closed) {
                countDropped(refusedCounter(), length - done);
                return;
            }
            int chunk = Math.min(length - done, sequencer.getBufferSize());
            if (shared) {
                for (int i = 0; i < chunk; i++) {
                    publishShared(seriesId, operation, values[offset + done + i]);
                }
                done += chunk;
                continue;
            }
            int room = (int) Math.min(chunk, single.remainingCapacity());
            if (room == 0) {
                if (!awaitCapacity(1)) {
                    countDropped(closed ? refusedCounter() : DROPPED_FULL, length - done);
                    return;
                }
                continue;
            }
            long high = single.next(room);
            long low = high - room + 1;
            for (long sequence = low; sequence <= high; sequence++) {
                write(sequence, seriesId, operation, values[offset + done++]);
            }
            single.publish(low, high);
            wakeAggregatorIfLagging(high);
        }
    }

    /**
     * Slow path of a dedicated ring with no room: under {@code DROP} returns false at once; under {@code BLOCK} waits
     * (spin, yield, then park) for the aggregator to free a slot, giving up only if the engine closes or fails
     * meanwhile. The
     * caller counts what it could not publish.
     */
    private boolean awaitCapacity(int required) {
        if (!block) {
            return false;
        }
        int attempts = 0;
        while (!single.hasAvailableCapacity(required)) {
            if (closed) {
                return false;
            }
            if (++attempts < 100) {
                Thread.onSpinWait();
            } else if (attempts < 200) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(10_000);
            }
        }
        return true;
    }

    /** Where a record refused by a closed ring counts: {@code failed} once the engine failed, else {@code closed}. */
    private VarHandle refusedCounter() {
        return failed ? DROPPED_FAILED : DROPPED_CLOSED;
    }

    private void countDropped(VarHandle counter, long count) {
        if (shared) {
            counter.getAndAdd(this, count);
        } else {
            // Only the owning thread writes a dedicated ring's counters: a release store, no atomic read-modify-write.
            counter.setRelease(this, (long) counter.get(this) + count);
        }
    }

    /** Stops accepting events: later records are dropped and counted as {@code closed}. */
    void close() {
        closed = true;
    }

    /**
     * Stops accepting events because the engine failed: later records, and those of a producer waiting for room
     * under {@code BLOCK} (which this releases), are dropped and counted as {@code failed}.
     */
    void fail() {
        failed = true;
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    /** Hands the published events to {@code handler} until it returns false or the ring is empty (aggregator only). */
    public void drainTo(EventPoller.Handler<RecordEvent> handler) throws Exception {
        poller.poll(handler);
    }

    /** Events published on this ring since it was created. */
    public long published() {
        return sequencer.getCursor() + 1;
    }

    /** Events the aggregator has taken off this ring. */
    public long consumed() {
        return poller.getSequence().get() + 1;
    }

    /** Free slots. */
    public long remainingCapacity() {
        return sequencer.remainingCapacity();
    }

    public int size() {
        return sequencer.getBufferSize();
    }

    public long droppedFull() {
        return (long) DROPPED_FULL.getVolatile(this);
    }

    public long droppedClosed() {
        return (long) DROPPED_CLOSED.getVolatile(this);
    }

    public long droppedFailed() {
        return (long) DROPPED_FAILED.getVolatile(this);
    }

    /** Whether the aggregator has dropped this ring (its thread ended). */
    boolean isRetired() {
        return retired;
    }

    void retire() {
        retired = true;
    }

    boolean isShared() {
        return shared;
    }

    /** True once the owning thread has ended (never for the shared ring). */
    boolean ownerGone() {
        if (shared) {
            return false;
        }
        Thread thread = owner.get();
        return thread == null || !thread.isAlive();
    }

    /** Decodes slots into one reusable {@link RecordEvent} for the poller: no allocation per event. */
    private static final class SlotReader implements DataProvider<RecordEvent> {
        private final long[] slots;
        private final int mask;
        private final RecordEvent view = new RecordEvent();

        SlotReader(long[] slots, int mask) {
            this.slots = slots;
            this.mask = mask;
        }

        @Override
        public RecordEvent get(long sequence) {
            int at = PAD + 2 * ((int) sequence & mask);
            long key = slots[at];
            view.seriesId = (int) (key >>> 32);
            view.operation = (int) key;
            view.value = slots[at + 1];
            return view;
        }
    }
}
