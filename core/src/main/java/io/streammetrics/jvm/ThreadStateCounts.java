package io.streammetrics.jvm;

import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Thread counts by state from one thread listing shared by the state series of a refresh pass: each series' reading
 * asks, and only the first within {@link #REUSE_NANOS} lists the threads. A listing without stack traces needs no
 * safepoint.
 */
final class ThreadStateCounts {
    /** Index of the threads that ended between listing their ids and reading their state. */
    static final int UNKNOWN = Thread.State.values().length;
    private static final long REUSE_NANOS = 50_000_000L;

    private final ThreadMXBean threads;
    private final int[] counts = new int[UNKNOWN + 1];
    private long countedAt;
    private boolean counted;

    ThreadStateCounts(ThreadMXBean threads) {
        this.threads = threads;
    }

    /** Threads in the state with this ordinal ({@link #UNKNOWN} for ended ones), from a listing at most 50 ms old. */
    synchronized int count(int stateOrdinal) {
        long now = System.nanoTime();
        if (!counted || now - countedAt > REUSE_NANOS) {
            recount();
            countedAt = now;
            counted = true;
        }
        return counts[stateOrdinal];
    }

    private void recount() {
        Arrays.fill(counts, 0);
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
            counts[info == null ? UNKNOWN : info.getThreadState().ordinal()]++;
        }
    }
}
