package io.streammetrics.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

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
 * threads running at once seldom write the same cache line. A stripe's arrays are allocated when the first thread
 * that maps to it joins the shared ring ({@link #ensureStripe}, off the record path), so an engine whose threads all
 * have rings pays nothing for them.
 */
final class SharedCounterCells {
    private static final VarHandle TOTAL = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle TOUCHED = MethodHandles.arrayElementVarHandle(int[].class);
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
    SharedCounterCells(int maxSeries, int stripes) {
        if (Integer.bitCount(stripes) != 1) {
            throw new IllegalArgumentException("stripes must be a power of two, got " + stripes);
        }
        this.maxSeries = maxSeries;
        this.mask = stripes - 1;
        this.stripes = new Stripe[stripes];
    }

    /** Twice the processors, rounded up to a power of two, at most 64: threads running at once rarely collide. */
    static int defaultStripes() {
        int wanted = Math.max(2, Math.min(64, 2 * Runtime.getRuntime().availableProcessors()));
        return Integer.highestOneBit(wanted - 1) << 1;
    }

    /** Makes sure the calling thread's stripe exists; called once per thread, under the rings' lock. */
    void ensureStripe() {
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
     * Adds a positive amount to the series' total on the calling thread's stripe; never waits, never allocates.
     * The thread must have called {@link #ensureStripe} (it did, when it joined the shared ring).
     */
    void add(int seriesId, long amount) {
        stripes[stripeOf(Thread.currentThread())].add(seriesId, amount);
    }

    /**
     * Hands every total that grew since the last sweep to {@code sink} as a difference (the store's writer only).
     *
     * @return the number of series that changed
     */
    int sweep(CounterCells.CounterSink sink) {
        int changed = 0;
        for (int i = 0; i < stripes.length; i++) {
            Stripe stripe = (Stripe) STRIPE.getAcquire(stripes, i);
            if (stripe != null) {
                changed += stripe.sweep(sink);
            }
        }
        return changed;
    }

    /** One stripe: totals any thread of the stripe adds to, and the list of series it has touched. */
    private static final class Stripe {
        private final long[] totals;
        /** Series touched, as id + 1 (0: claimed, not written yet), in first-touch order. */
        private final int[] touched;
        @SuppressWarnings("unused")
        private volatile int touchedCount;
        /** What the writer has already added to the store, by series id; the writer's own memory. */
        private final long[] applied;

        Stripe(int maxSeries) {
            this.totals = new long[maxSeries];
            this.touched = new int[maxSeries];
            this.applied = new long[maxSeries];
        }

        void add(int seriesId, long amount) {
            // Totals only grow, so exactly one add sees zero: that one lists the series for the sweep.
            if ((long) TOTAL.getAndAdd(totals, seriesId, amount) == 0) {
                int at = (int) TOUCHED_COUNT.getAndAdd(this, 1);
                if (at < touched.length) {
                    TOUCHED.setRelease(touched, at, seriesId + 1);
                }
            }
        }

        int sweep(CounterCells.CounterSink sink) {
            int count = Math.min((int) TOUCHED_COUNT.getAcquire(this), touched.length);
            return CounterCells.sweep(touched, count, totals, applied, sink);
        }
    }
}
