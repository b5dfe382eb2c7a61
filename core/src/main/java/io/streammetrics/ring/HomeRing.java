package io.streammetrics.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A handle's shortcut to the rings of the few threads that record on it: the first {@value #SLOTS} threads to record
 * on a handle become its homes, and from then on each of them reaches its own ring with a comparison or two instead
 * of a {@code ThreadLocal} lookup. Further threads take the {@code ThreadLocal} path. Each slot is written once per
 * home (a CAS on the slow path) and only read afterwards, so no cache line is written by the recording threads.
 *
 * <p>When a home thread ends and its ring is retired, the next thread that misses takes its slot over, so a handle
 * does not keep a dead thread's ring alive for long.
 */
public final class HomeRing {
    /** Homes per handle: pipelines share a handle between a few threads, rarely more. */
    static final int SLOTS = 4;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Home[].class);
    private static final Home NOBODY = new Home(null, null);

    /** Thread and ring together, so that a reader never pairs one thread with another's ring. */
    private static final class Home {
        final Thread thread;
        final ProducerRing ring;

        Home(Thread thread, ProducerRing ring) {
            this.thread = thread;
            this.ring = ring;
        }
    }

    private final Home[] homes = {NOBODY, NOBODY, NOBODY, NOBODY};

    /** The calling thread's ring. */
    public ProducerRing ring(ProducerRings rings) {
        final Thread thread = Thread.currentThread();
        final Home[] homes = this.homes;
        for (int i = 0; i < SLOTS; i++) {
            Home home = (Home) SLOT.getAcquire(homes, i);
            if (home.thread == thread) {
                return home.ring;
            }
        }
        return claim(rings, thread);
    }

    private ProducerRing claim(ProducerRings rings, Thread thread) {
        ProducerRing ring = rings.current();
        if (ring.isShared()) {
            return ring;
        }
        for (int i = 0; i < SLOTS; i++) {
            Home home = (Home) SLOT.getAcquire(homes, i);
            if (home == NOBODY || home.ring.isRetired()) {
                // Racing claimers: the CAS picks one per slot; a loser tries the next slot or keeps its ThreadLocal.
                if (SLOT.compareAndSet(homes, i, home, new Home(thread, ring))) {
                    break;
                }
            }
        }
        return ring;
    }
}
