package io.streammetrics.internal.cell;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Counter totals of the threads that have no ring of their own (those beyond {@code maxProducerRings}, and new
 * threads while the rings of ended ones wait to be retired): the same running totals as {@link CounterCells}, but
 * shared, so each increment is one atomic add instead of a plain store.
 *
 * <p>Why not ring events, as these threads' other records are: an event can find the shared ring full, and would
 * then be dropped ({@code DROP}) or wait for the aggregator ({@code BLOCK}); a counter increment must do neither. An
 * atomic add on a total never fails and never waits for another thread (one {@code LOCK XADD} on x86), and the
 * aggregator sweeps the totals exactly as it sweeps a thread's own cells, so counters stay exact and monotonic with
 * the store's single writer.
 *
 * <p>Totals are striped by thread id, as {@link java.util.concurrent.atomic.LongAdder} stripes its cells, so that
 * threads running at once seldom write the same cache line. A stripe is allocated when the first thread that maps to
 * it joins the shared ring ({@link #ensureStripe}, off the record path), so an engine whose threads all have rings
 * pays nothing for them; its totals come in chunks of 1,024 series, allocated on the first increment in a chunk and
 * never moved (several threads add to a stripe at once, so an array could not be replaced by a larger copy without
 * losing an add made to the old one meanwhile): a stripe's memory follows the series its threads record on, not the
 * store's capacity.
 */
public final class SharedCounterCells {
    private static final int CHUNK_BITS = 10;
    private static final int CHUNK = 1 << CHUNK_BITS;
    private static final int CHUNK_MASK = CHUNK - 1;
    private static final VarHandle TOTAL = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle TOUCHED = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle TOTAL_CHUNK = MethodHandles.arrayElementVarHandle(long[][].class);
    private static final VarHandle TOUCHED_CHUNK = MethodHandles.arrayElementVarHandle(int[][].class);
    private static final VarHandle STRIPE = MethodHandles.arrayElementVarHandle(Stripe[].class);
    private static final VarHandle TOUCHED_COUNT;

    static {
        try {
            TOUCHED_COUNT = MethodHandles.lookup().findVarHandle(Stripe.class, "touchedCount", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int maxSeries;
    private final int mask;
    /** Stripes by index; a slot is set once (under the rings' lock), before any thread that maps to it records. */
    private final Stripe[] stripes;

    /** @param stripes a power of two */
    public SharedCounterCells(int maxSeries, int stripes) {
        if (Integer.bitCount(stripes) != 1) {
            throw new IllegalArgumentException("stripes must be a power of two, got " + stripes);
        }
        this.maxSeries = maxSeries;
        this.mask = stripes - 1;
        this.stripes = new Stripe[stripes];
    }

    /** Twice the processors, rounded up to a power of two, at most 64: threads running at once rarely collide. */
    public static int defaultStripes() {
        int wanted = Math.max(2, Math.min(64, 2 * Runtime.getRuntime().availableProcessors()));
        return Integer.highestOneBit(wanted - 1) << 1;
    }

    /** Makes sure the calling thread's stripe exists; called once per thread, under the rings' lock. */
    public void ensureStripe() {
        int index = stripeOf(Thread.currentThread());
        if (STRIPE.getAcquire(stripes, index) == null) {
            STRIPE.setRelease(stripes, index, new Stripe(maxSeries));
        }
    }

    @SuppressWarnings("deprecation") // Thread.threadId() replaces getId() from Java 19; the floor is 17
    private int stripeOf(Thread thread) {
        // Ids are handed out in sequence, so threads started together fall on different stripes.
        return (int) thread.getId() & mask;
    }

    /**
     * Adds a positive amount to the series' total on the calling thread's stripe; never waits, never fails, and
     * allocates only on the first increment in a chunk of 1,024 series. The thread must have called
     * {@link #ensureStripe} (it did, when it joined the shared ring).
     */
    public void add(int seriesId, long amount) {
        stripes[stripeOf(Thread.currentThread())].add(seriesId, amount);
    }

    /**
     * Hands every total that grew since the last sweep to {@code sink} as a difference (the store's writer only).
     *
     * @return the number of series that changed
     */
    public int sweep(CounterCells.CounterSink sink) {
        int changed = 0;
        for (int i = 0; i < stripes.length; i++) {
            Stripe stripe = (Stripe) STRIPE.getAcquire(stripes, i);
            if (stripe != null) {
                changed += stripe.sweep(sink);
            }
        }
        return changed;
    }

    /** The chunk at {@code index} of a directory, created (by one of the racing threads) if missing. */
    private static long[] totalsChunk(long[][] directory, int index) {
        long[] chunk = (long[]) TOTAL_CHUNK.getAcquire(directory, index);
        if (chunk == null) {
            long[] created = new long[CHUNK];
            chunk = (long[]) TOTAL_CHUNK.compareAndExchange(directory, index, null, created);
            if (chunk == null) {
                chunk = created;
            }
        }
        return chunk;
    }

    private static int[] touchedChunk(int[][] directory, int index) {
        int[] chunk = (int[]) TOUCHED_CHUNK.getAcquire(directory, index);
        if (chunk == null) {
            int[] created = new int[CHUNK];
            chunk = (int[]) TOUCHED_CHUNK.compareAndExchange(directory, index, null, created);
            if (chunk == null) {
                chunk = created;
            }
        }
        return chunk;
    }

    /** One stripe: totals any thread of the stripe adds to, and the list of series it has touched. */
    private static final class Stripe {
        /** Totals by series id, in chunks of {@link #CHUNK}: {@code totals[id >>> 10][id & 1023]}. */
        private final long[][] totals;
        /** Series touched, as id + 1 (0: claimed, not written yet), in first-touch order, chunked like totals. */
        private final int[][] touched;
        private final int capacity;
        @SuppressWarnings("unused")
        private volatile int touchedCount;
        /** What the writer has already added to the store, by series id; the writer's own memory, grown as needed. */
        private long[] applied = new long[0];

        Stripe(int maxSeries) {
            int chunks = (maxSeries + CHUNK - 1) >>> CHUNK_BITS;
            this.totals = new long[chunks][];
            this.touched = new int[chunks][];
            this.capacity = chunks << CHUNK_BITS;
        }

        void add(int seriesId, long amount) {
            long[] chunk = totalsChunk(totals, seriesId >>> CHUNK_BITS);
            // Totals only grow (a delta is unsigned; the store carries what passes Long.MAX_VALUE), so the add that
            // finds zero is the first: it lists the series for the sweep.
            if ((long) TOTAL.getAndAdd(chunk, seriesId & CHUNK_MASK, amount) == 0) {
                int at = (int) TOUCHED_COUNT.getAndAdd(this, 1);
                if (at < capacity) {
                    // (Only a total that wrapped to exactly zero lists a series twice: the sweep takes it once.)
                    TOUCHED.setRelease(touchedChunk(touched, at >>> CHUNK_BITS), at & CHUNK_MASK, seriesId + 1);
                }
            }
        }

        int sweep(CounterCells.CounterSink sink) {
            int count = Math.min((int) TOUCHED_COUNT.getAcquire(this), capacity);
            int changed = 0;
            for (int i = 0; i < count; i++) {
                int[] list = (int[]) TOUCHED_CHUNK.getAcquire(touched, i >>> CHUNK_BITS);
                int entry = list == null ? 0 : (int) TOUCHED.getAcquire(list, i & CHUNK_MASK);
                if (entry == 0) {
                    // Claimed by an add still writing it: that add has not returned, so the next sweep is in time.
                    continue;
                }
                int seriesId = entry - 1;
                if (seriesId >= applied.length) {
                    applied = Arrays.copyOf(applied, Math.max(seriesId + 1, 2 * applied.length));
                }
                long[] chunk = (long[]) TOTAL_CHUNK.getAcquire(totals, seriesId >>> CHUNK_BITS);
                long total = (long) TOTAL.getVolatile(chunk, seriesId & CHUNK_MASK);
                long delta = total - applied[seriesId];
                if (delta != 0) {
                    applied[seriesId] = total;
                    sink.counterDelta(seriesId, delta);
                    changed++;
                }
            }
            return changed;
        }
    }
}
