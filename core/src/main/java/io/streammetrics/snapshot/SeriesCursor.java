package io.streammetrics.snapshot;

import io.streammetrics.common.MetricType;
import io.streammetrics.exemplar.Exemplar;
import io.streammetrics.internal.store.ClassicReading;
import io.streammetrics.internal.store.HistogramReading;
import io.streammetrics.internal.store.MetricStore;
import io.streammetrics.metadata.SeriesMetadata;

import java.util.List;

/**
 * The series a {@link SeriesVisitor} is at, read from the store on demand: nothing is copied that the visitor does
 * not ask for, and nothing is allocated apart from {@link #toPoint()}. Valid only inside
 * {@link SeriesVisitor#series}; the value accessors must match the family's type.
 */
public final class SeriesCursor {
    private final MetricStore store;
    private final HistogramReading reading;
    private final ClassicReading classic = new ClassicReading();
    private final CallbackSampler callbacks;
    private MetricType type;
    private SeriesMetadata series;
    private long epoch;

    SeriesCursor(MetricStore store, CallbackSampler callbacks) {
        this.store = store;
        this.callbacks = callbacks;
        this.reading = new HistogramReading(store.histogramLayout());
    }

    void moveTo(SeriesMetadata series, long epoch) {
        this.type = series.family().type();
        this.series = series;
        this.epoch = epoch;
    }

    /** The series' immutable metadata: family, id, label values, overflow flag, creation time. */
    public SeriesMetadata series() {
        return series;
    }

    /** Updates applied to the series so far. */
    public long updates() {
        return store.updates(series.id());
    }

    /** Time of the last applied update, epoch millis, or 0 if none. */
    public long lastUpdateMillis() {
        return store.lastUpdateMillis(series.id());
    }

    /**
     * A counter's integer part: the sum of its integer increments, exact beyond 2^53 and up to
     * {@code Long.MAX_VALUE}, where it stays once the total passes it (a callback counter's: its sample's).
     */
    public long counterLongValue() {
        double sample = callbacks.sample(series.id());
        return Double.isNaN(sample) ? store.counterLongValue(series.id()) : (long) sample;
    }

    /**
     * A counter's total: its integer increments plus its fractional increments (a double once it passes
     * {@code Long.MAX_VALUE}; it never wraps), or a callback counter's sample of this read.
     */
    public double counterValue() {
        double sample = callbacks.sample(series.id());
        return Double.isNaN(sample) ? store.counterValue(series.id()) : sample;
    }

    /** A gauge's value: its callback's sample of this read when it has one, else the stored value. */
    public double gaugeValue() {
        double sample = callbacks.sample(series.id());
        return Double.isNaN(sample) ? store.gaugeValue(series.id()) : sample;
    }

    /**
     * A histogram's or timer's state as of the read epoch, in a holder reused for every series (and overwritten by
     * the next call): its count equals the sum of its buckets.
     *
     * @throws IllegalStateException for a counter or gauge
     */
    public HistogramReading histogram() {
        store.readHistogram(histogramIndex(), epoch, reading);
        return reading;
    }

    /**
     * A histogram's or timer's count, sum and classic bucket counts (the buckets of its family's
     * {@code FamilyMetadata.classicBuckets()}) as of the read epoch, without copying its HDR buckets: what a
     * classic {@code le} exposition needs, a few dozen longs instead of the occupied HDR range. Consistent as
     * {@link #histogram()} is: the classic buckets add up to the count and are the HDR buckets of the same state
     * mapped through that {@code ClassicBuckets} (a {@link #histogram()} call on the same series may see one more
     * update, the one in flight when the read began). The holder is reused for every series.
     *
     * @throws IllegalStateException for a counter or gauge
     */
    public ClassicReading classicHistogram() {
        store.readClassic(histogramIndex(), epoch, classic);
        return classic;
    }

    /**
     * {@link #histogram()} and the classic buckets of {@link #classicHistogram()} from one read, into the cursor's
     * HDR holder and {@code classic} (a holder of the caller's, reused as it likes): both then describe the same
     * state, as two separate reads need not (they may differ by the update in flight when the read began). For an
     * exporter that writes a series' classic buckets beside buckets mapped from its HDR buckets, which must agree
     * on the count.
     *
     * @return the HDR holder, reused for every series
     * @throws IllegalStateException for a counter or gauge
     */
    public HistogramReading histogram(ClassicReading classic) {
        store.readHistogram(histogramIndex(), epoch, reading, classic);
        return reading;
    }

    /**
     * The exemplars the series holds now (a counter's one; a histogram's per classic bucket, newest and largest, as
     * {@link HistogramPoint#exemplars()} describes); empty for a gauge or a series without any. Read under the
     * exemplars' own seqlock: allocates only when the series has exemplars.
     */
    public List<Exemplar> exemplars() {
        if (type == MetricType.GAUGE) {
            return List.of();
        }
        return store.exemplars(series.id(), type == MetricType.COUNTER);
    }

    private int histogramIndex() {
        int index = series.histogramIndex();
        if (index < 0) {
            throw new IllegalStateException("series " + series.id() + " of a " + type + " family has no histogram");
        }
        return index;
    }

    /** An immutable copy of the series' state, as {@link SnapshotTaker#take} returns it (allocates). */
    public SeriesPoint toPoint() {
        int id = series.id();
        switch (type) {
            case COUNTER: {
                double sample = callbacks.sample(series.id());
                if (!Double.isNaN(sample)) {
                    return new CounterPoint(id, series.labelValues(), series.isOverflow(), series.createdMillis(),
                            updates(), lastUpdateMillis(), (long) sample, sample);
                }
                // One read of both parts (the store's protocol), so that value and longValue agree.
                double doublePart;
                long integerPart;
                do {
                    doublePart = store.counterDoublePart(id);
                    integerPart = store.counterIntegerPart(id);
                } while (store.counterDoublePart(id) != doublePart);
                return new CounterPoint(id, series.labelValues(), series.isOverflow(), series.createdMillis(),
                        updates(), lastUpdateMillis(), MetricStore.saturatedIntegerPart(integerPart, doublePart),
                        integerPart + doublePart, exemplars());
            }
            case GAUGE:
                return new GaugePoint(id, series.labelValues(), series.isOverflow(), series.createdMillis(),
                        updates(), lastUpdateMillis(), gaugeValue());
            default:
                long updates = updates();
                long lastUpdate = lastUpdateMillis();
                return new HistogramPoint(id, series.labelValues(), series.isOverflow(), series.createdMillis(),
                        updates, lastUpdate, store.histogramLayout(), histogram(), exemplars());
        }
    }
}
