package io.streammetrics.snapshot;

import io.streammetrics.common.MetricType;
import io.streammetrics.internal.aggregate.CallbackWrites;
import io.streammetrics.internal.registry.SeriesCallback;
import io.streammetrics.metadata.SeriesMetadata;
import org.agrona.collections.Int2ObjectHashMap;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * Samples callback gauges and counters for a snapshot, on the snapshot's thread, and keeps what they gave: readers
 * of this process take the values from here ({@link #sample(int)}), and what changed goes to the store through
 * the aggregator ({@link CallbackWrites}) for readers of the store file. Nothing is published on the calling
 * thread's producer ring, so a thread that only reads never claims one. Used under the snapshot lock only: one
 * thread at a time, ordered by the lock, so its state needs no other synchronization.
 */
final class CallbackSampler {
    private static final System.Logger LOG = System.getLogger(CallbackSampler.class.getName());
    private static final long REPUBLISH_NANOS = 1_000_000_000L;

    private final CallbackWrites writes;
    /** Per callback series (never per other series): what it gave and what the store was given. */
    private final Int2ObjectHashMap<Sample> samples = new Int2ObjectHashMap<>();
    private final AtomicLong errors = new AtomicLong();
    /** When unchanged gauge samples were last offered to the store anyway. */
    private long republishedNanos = System.nanoTime();

    CallbackSampler(CallbackWrites writes) {
        this.writes = writes;
    }

    /** Callback failures so far. */
    long errors() {
        return errors.get();
    }

    /** The latest sample of the callback of series {@code seriesId}, or NaN if it has none (or never gave one). */
    double sample(int seriesId) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        Sample sample = samples.get(seriesId);
        return sample == null ? Double.NaN : sample.value;
    }

    /**
     * Samples every callback and offers what changed to the store. A gauge whose sample is the one the store has is
     * offered again only once a second: each offer is work for the aggregator, and a handful of them after every
     * snapshot made the aggregator park for its batch window and every next snapshot wait for its wake-up (the JVM
     * metrics' ~80 gauges, which change once a second: 2-4 ms at the 99th percentile of back-to-back snapshots on a
     * loaded 2-core machine, against 0.04 ms without). The republishing keeps the store's copy fresh and its
     * last-update time moving (absence rules read it).
     *
     * @param publish whether to offer values to the store (false once nothing would apply them)
     */
    void sampleAll(List<SeriesCallback> callbacks, boolean publish) {
        long now = System.nanoTime();
        boolean republish = now - republishedNanos >= REPUBLISH_NANOS;
        if (republish) {
            republishedNanos = now;
        }
        for (int i = 0; i < callbacks.size(); i++) {
            SeriesCallback callback = callbacks.get(i);
            SeriesMetadata series = callback.series();
            Sample sample = samples.get(series.id());
            if (sample == null) {
                sample = new Sample();
                samples.put(series.id(), sample);
            }
            double value;
            try {
                value = callback.supplier().getAsDouble();
            } catch (RuntimeException | Error e) {
                errors.incrementAndGet();
                if (!sample.failureLogged) {
                    sample.failureLogged = true;
                    LOG.log(System.Logger.Level.WARNING, "callback of " + series.family().type().name().toLowerCase()
                            + " " + series.family().name() + series.labelValues()
                            + " threw; the series keeps its last value (logged once per series)", e);
                }
                continue;
            }
            if (series.family().type() == MetricType.COUNTER) {
                sampleCounter(series, sample, value, publish);
            } else if (!Double.isNaN(value)) {
                sample.value = value;
                if (publish && (value != sample.stored || republish)) {
                    if (writes.offerGauge(series.id(), value)) {
                        sample.stored = value;
                    }
                }
            }
        }
    }

    /**
     * A callback counter keeps the largest sample so far: a total that went down (or is not a finite non-negative
     * number) would break the rule that a counter never goes backwards. The store gets the growth since what it was
     * given last, so that readers of a memory-mapped store see the same total.
     */
    private void sampleCounter(SeriesMetadata series, Sample sample, double value, boolean publish) {
        double base = Double.isNaN(sample.value) ? 0 : sample.value;
        if (!(value >= base) || Double.isInfinite(value)) {
            return;
        }
        sample.value = value;
        double stored = Double.isNaN(sample.stored) ? 0 : sample.stored;
        if (publish && value > stored && writes.offerCounterGrowth(series.id(), value - stored)) {
            sample.stored = value;
        }
    }

    /** One callback series' state. */
    private static final class Sample {
        /** The latest sample (a counter's largest), NaN before the first. */
        double value = Double.NaN;
        /** What the store was given last (a counter's total), NaN before the first offer. */
        double stored = Double.NaN;
        boolean failureLogged;
    }
}
