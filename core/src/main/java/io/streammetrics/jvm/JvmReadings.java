package io.streammetrics.jvm;

import io.streammetrics.metric.Meter;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * The readings of one {@link JvmMetrics} registration, taken together by a background thread at most once per
 * refresh interval, so that a snapshot reads cached values instead of calling JMX or reading {@code /proc}: memory
 * pools, thread listings and {@code /proc} files cost tens to hundreds of microseconds each (1.6-2.7 ms per snapshot
 * at the 99th percentile together, measured), and snapshots are taken for every scrape, evaluation and
 * {@code snapshot()} call. A snapshot therefore sees each reading as it was at most one interval (plus the time a
 * refresh takes) before; with an interval of 0 every snapshot reads every source itself, as before.
 *
 * <p>The first values are read on registration, so the first snapshot has them; then {@link ReadingRefresher}
 * refreshes them until the engine is closed (or unreachable). A source that throws hands its failure to the
 * snapshots that sample it until it reads again, so they count and log it as any failing callback (the series keeps
 * its last value). Thread-safe: values are published through volatile fields.
 */
final class JvmReadings {
    private final long intervalNanos;
    private final List<Cached> readings = new ArrayList<>();

    /** Readings refreshed every {@code intervalNanos}; 0: read by each snapshot itself. */
    JvmReadings(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /** The supplier a callback samples: {@code source}'s last refreshed value (or {@code source} itself at 0). */
    DoubleSupplier cached(DoubleSupplier source) {
        if (intervalNanos == 0) {
            return source;
        }
        Cached cached = new Cached(source);
        readings.add(cached);
        return cached;
    }

    /** Reads every source once, in registration order. */
    void refresh() {
        for (Cached reading : readings) {
            reading.refresh();
        }
    }

    /** Takes the first readings, then has them refreshed in the background while {@code engine} is open. */
    void start(Meter engine) {
        if (readings.isEmpty()) {
            return;
        }
        refresh();
        ReadingRefresher.schedule(this, engine, intervalNanos);
    }

    int size() {
        return readings.size();
    }

    /** One source, its last value and, while its last read failed, the failure. */
    private static final class Cached implements DoubleSupplier {
        private final DoubleSupplier source;
        private volatile double value = Double.NaN;
        private volatile RuntimeException failure;

        Cached(DoubleSupplier source) {
            this.source = source;
        }

        void refresh() {
            try {
                value = source.getAsDouble();
                failure = null;
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        @Override
        public double getAsDouble() {
            RuntimeException failed = failure;
            if (failed != null) {
                throw failed;
            }
            return value;
        }
    }
}
