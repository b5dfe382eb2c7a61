package io.streammetrics.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A handle's shortcut to the ring of the thread that records on it most: the first thread to record on a handle
 * becomes its home, and from then on that thread reaches its ring with one comparison instead of a
 * {@code ThreadLocal} lookup. Other threads take the {@code ThreadLocal} path. Written once per home (a CAS on the
 * slow path), read-only afterwards, so no cache line is written by the recording threads.
 *
 * <p>When the home thread ends and its ring is retired, the next thread to record takes the handle over, so a handle
 * does not keep a dead thread's ring alive for long.
 */
public final class HomeRing {
    private static final VarHandle HOME;
    private static final Home NOBODY = new Home(null, null);

    static {
        try {
            HOME = MethodHandles.lookup().findVarHandle(HomeRing.class, "home", Home.class);
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

    /** The calling thread's ring. */
    public ProducerRing ring(ProducerRings rings) {
        Home current = home;
        if (current.thread == Thread.currentThread()) {
            return current.ring;
        }
        return claim(rings, current);
    }

    private ProducerRing claim(ProducerRings rings, Home current) {
        ProducerRing ring = rings.current();
        if ((current == NOBODY || current.ring.isRetired()) && !ring.isShared()) {
            // Racing claimers: the CAS picks one; the others keep using their ThreadLocal, which is just as correct.
            HOME.compareAndSet(this, current, new Home(Thread.currentThread(), ring));
        }
        return ring;
    }
}
