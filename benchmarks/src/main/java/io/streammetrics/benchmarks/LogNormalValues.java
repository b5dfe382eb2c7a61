package io.streammetrics.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.SplittableRandom;

/**
 * Latencies to record: a fixed, pre-generated log-normal sample between 1 microsecond and 100 milliseconds
 * (median 200 us), in nanoseconds and, for the libraries whose unit is the second, the same values in seconds, so
 * that no row pays for a conversion the others skip. Each benchmark thread walks the sample from its own offset with
 * a mask: varying values (a constant would keep one bucket hot and flatter the peers that search buckets), no
 * shared cursor, no allocation.
 */
@State(Scope.Thread)
public class LogNormalValues {
    /** Sample size, a power of two. */
    public static final int SIZE = 1 << 16;
    private static final int MASK = SIZE - 1;
    private static final long MIN_NANOS = 1_000;
    private static final long MAX_NANOS = 100_000_000;
    private static final long[] NANOS = new long[SIZE];
    private static final double[] SECONDS = new double[SIZE];

    static {
        // Fixed seed: every run and every library records the same values.
        SplittableRandom random = new SplittableRandom(42);
        double mu = Math.log(200_000);
        double sigma = 1.5;
        for (int i = 0; i < SIZE; i++) {
            double gaussian = gaussian(random);
            long nanos = Math.round(Math.exp(mu + sigma * gaussian));
            NANOS[i] = Math.max(MIN_NANOS, Math.min(MAX_NANOS, nanos));
            SECONDS[i] = NANOS[i] / 1e9;
        }
    }

    private int index;

    private static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Starts each thread at its own place in the sample, so that two threads do not record the same value together. */
    @Setup(Level.Trial)
    public void setUp() {
        index = (int) (Thread.currentThread().getId() * 7919) & MASK;
    }

    /** The next latency in nanoseconds. */
    public long nextNanos() {
        return NANOS[index++ & MASK];
    }

    /** The next latency in seconds. */
    public double nextSeconds() {
        return SECONDS[index++ & MASK];
    }

    /** The value at {@code i} (masked), for programs that are not JMH benchmarks. */
    public static long nanosAt(int i) {
        return NANOS[i & MASK];
    }
}
