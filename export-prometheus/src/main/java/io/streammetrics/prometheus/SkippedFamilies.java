package io.streammetrics.prometheus;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The families one collector's scrapes leave out, whichever renderer leaves them out: every scrape that leaves one
 * out counts ({@link PrometheusCollector#skippedFamilies()}), and the first for each family logs why. Thread-safe.
 */
final class SkippedFamilies {
    // The collector's logger, as before the plans moved out of it: operators filter on that name.
    private static final System.Logger LOG = System.getLogger("io.streammetrics.prometheus.PrometheusCollector");

    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final AtomicLong count = new AtomicLong();

    /** Counts a family left out of a scrape and logs it the first time. */
    void count(String familyName, String why, Throwable cause) {
        count.incrementAndGet();
        if (reported.add(familyName)) {
            LOG.log(System.Logger.Level.WARNING, "metric family " + familyName
                    + " is left out of Prometheus scrapes: " + why + " (logged once per family)", cause);
        }
    }

    /** Families left out of scrapes so far, once per scrape that left each out. */
    long total() {
        return count.get();
    }
}
