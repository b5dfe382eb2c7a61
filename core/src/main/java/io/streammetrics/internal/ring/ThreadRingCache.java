package io.streammetrics.internal.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A handle's cache from thread to ring: shortcuts to the rings of the threads that record on it. The first thread
 * to record on a handle becomes its home and the second its guest, and from then on each reaches its ring with one
 * or two comparisons instead of a {@code ThreadLocal} lookup. Further threads take the {@code ThreadLocal} path.
 * Each field is written once (a CAS on the slow path) and read-only afterwards, so no cache line is written by the
 * recording threads.
 *
 * <p>Why two fields and not an array of four: measured with {@code CounterRecordBenchmark} (3 forks, quiet 2-core
 * machine), two threads sharing a counter cost 3.79 ± 0.41 ns with a home only and 2.76 ± 0.32 ns with home and
 * guest, while one thread stays where it was (its path ends at the first comparison); four slots in an array made the
 * one-thread path slower ({@code benchmarks/RESULTS.md}, "Tried and rejected").
 *
 * <p>When the home or guest thread ends and its ring is retired, the next thread to record takes its place, so a
 * handle does not keep a dead thread's ring alive for long.
 */
public final class ThreadRingCache {
    private static final VarHandle HOME;
    private static final VarHandle GUEST;
    private static final Home NOBODY = new Home(null, null);

    static {
        try {
            HOME = MethodHandles.lookup().findVarHandle(ThreadRingCache.class, "home", Home.class);
            GUEST = MethodHandles.lookup().findVarHandle(ThreadRingCache.class, "guest", Home.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Thread and ring together, so that a reader never pairs one thread with another's ring. */
    private static final class Home {
        final Thread thread;
        final ProducerRing ring;

        Home(Thread thread, ProducerRing ring) {
            this.thread = thread;
            this.ring = ring;
        }
    }

    private volatile Home home = NOBODY;
    /** The second thread's shortcut, read only after {@link #home} misses, so the home thread's path stays as short. */
    private volatile Home guest = NOBODY;

    /** The calling thread's ring. */
    public ProducerRing ring(ProducerRings rings) {
        final Thread thread = Thread.currentThread();
        Home current = home;
        if (current.thread == thread) {
            return current.ring;
        }
        Home second = guest;
        if (second.thread == thread) {
            return second.ring;
        }
        return claim(rings, current, second);
    }

    private ProducerRing claim(ProducerRings rings, Home current, Home second) {
        ProducerRing ring = rings.current();
        if (ring.isShared()) {
            return ring;
        }
        // Racing claimers: the CAS picks one; the others keep using their ThreadLocal, which is just as correct.
        if (current == NOBODY || current.ring.isRetired()) {
            HOME.compareAndSet(this, current, new Home(Thread.currentThread(), ring));
        } else if (second == NOBODY || second.ring.isRetired()) {
            GUEST.compareAndSet(this, second, new Home(Thread.currentThread(), ring));
        }
        return ring;
    }
}
