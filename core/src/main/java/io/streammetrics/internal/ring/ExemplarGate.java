package io.streammetrics.internal.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A series' exemplar rate limit on the record path: at most one exemplar per sample interval (client_java's default:
 * 90 ms) leaves the recording threads; the store decides which slot keeps it ({@code ExemplarAreas}). A closed gate
 * costs two loads and a compare: the engine's coarse clock (advanced by the aggregator on every pass, so that no
 * record reads a system clock) and this gate's next opening. Opening it takes a CAS, at most once per interval, so
 * two threads never both sample within one interval.
 *
 * <p>The coarse clock lags real time by at most the aggregator's idle park (about 10 ms), which only shifts the
 * interval's start; exemplar timestamps are read from the engine clock when one is sampled.
 */
public final class ExemplarGate {
    private static final VarHandle NEXT;

    static {
        try {
            NEXT = MethodHandles.lookup().findVarHandle(ExemplarGate.class, "next", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * How long the automatic form waits after a look that found no sampled span: looking on every record would cost
     * the span lookup (a thread-local read) each time; one look per millisecond costs nothing measurable and misses
     * at most the records of that millisecond, against a 90 ms sample interval.
     */
    public static final long NO_SPAN_BACK_OFF_MILLIS = 1;

    private final ProducerRings rings;
    /** The engine's coarse clock, held directly: one load fewer on every check than through {@link #rings}. */
    private final ProducerRings.CoarseClock coarse;
    /** Coarse millis from which the gate is open; written by CAS (opening) or opaque store (back-off). */
    @SuppressWarnings("unused")
    private long next;

    public ExemplarGate(ProducerRings rings) {
        this.rings = rings;
        this.coarse = rings.coarseClock();
    }

    /** Whether an exemplar may be taken now: cheap, and true for every caller until one {@link #tryAcquire}s. */
    public boolean isOpen() {
        return coarse.millis - (long) NEXT.getOpaque(this) >= 0;
    }

    /** Takes the interval's one exemplar: true for at most one caller per sample interval. */
    public boolean tryAcquire() {
        long now = coarse.millis;
        long at = (long) NEXT.getOpaque(this);
        return now - at >= 0 && NEXT.compareAndSet(this, at, now + rings.exemplarIntervalMillis());
    }

    /**
     * Closes the gate for {@code millis} without taking an exemplar: the automatic form found no sampled span, and
     * looking again on every record would cost more than the few records it could miss (the interval is 90 ms).
     */
    public void backOff(long millis) {
        long until = coarse.millis + millis;
        long at = (long) NEXT.getOpaque(this);
        // Only ever later: a back-off must not shorten the interval another thread's exemplar just started.
        if (until - at > 0) {
            NEXT.compareAndSet(this, at, until);
        }
    }
}
