package io.streammetrics.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** The CPU time of a running engine's aggregator thread, for the programs that tell how busy it is. */
final class AggregatorThread {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final long id;

    private AggregatorThread(long id) {
        this.id = id;
    }

    /** The aggregator of the engine started last (engines name their thread alike; run one at a time). */
    static AggregatorThread find() {
        long found = -1;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("streammetrics-aggregator") && thread.getId() > found) {
                found = thread.getId();
            }
        }
        if (found < 0) {
            throw new IllegalStateException("no streammetrics-aggregator thread: start the engine first");
        }
        return new AggregatorThread(found);
    }

    /** CPU time the thread has used so far, in nanoseconds. */
    long cpuNanos() {
        return THREADS.getThreadCpuTime(id);
    }
}
