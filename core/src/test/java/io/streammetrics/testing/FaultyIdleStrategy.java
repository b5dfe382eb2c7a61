package io.streammetrics.testing;

import org.agrona.concurrent.IdleStrategy;

/**
 * An aggregator idle strategy that a test turns against the aggregator through the engine's public builder: it
 * spins until told to throw an error from the aggregator's loop ({@link #throwNext}) or to hold the aggregator in its
 * idle wait ({@link #stall}).
 */
public final class FaultyIdleStrategy implements IdleStrategy {
    private volatile Error toThrow;
    private volatile boolean stalled;

    /** Makes the aggregator's next idle wait throw {@code error}, and every one after. */
    public void throwNext(Error error) {
        this.toThrow = error;
    }

    /** Holds the aggregator in its idle wait (true) until released (false). */
    public void stall(boolean stall) {
        this.stalled = stall;
    }

    @Override
    public void idle(int workCount) {
        Error error = toThrow;
        if (error != null) {
            throw error;
        }
        while (stalled) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        Thread.onSpinWait();
    }

    @Override
    public void idle() {
        idle(0);
    }

    @Override
    public void reset() {
    }
}
