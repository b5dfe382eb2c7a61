package io.streammetrics.influx;

import io.streammetrics.MetricsEngine;
import io.streammetrics.internal.registry.IdTable;
import io.streammetrics.common.HistogramLayout;
import io.streammetrics.internal.store.ClassicReading;
import io.streammetrics.internal.store.HistogramReading;
import io.streammetrics.internal.text.DoubleFormat;
import io.streammetrics.metadata.FamilyMetadata;
import io.streammetrics.metadata.SeriesMetadata;
import io.streammetrics.push.PushBatch;
import io.streammetrics.push.PushEncoder;
import io.streammetrics.push.SeriesLabels;
import io.streammetrics.snapshot.SeriesCursor;
import io.streammetrics.snapshot.SeriesVisitor;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;

/**
 * Encodes an engine's series as InfluxDB line protocol, one line per series, straight from the store
 * ({@link MetricsEngine#snapshot(SeriesVisitor)}): {@code measurement,tag=v,... field=v,... timestamp}. Counters
 * and gauges write {@code value} (counters optionally {@code delta}, the increase since the last delivered push);
 * histograms and timers {@code count}, {@code sum}, {@code min}, {@code max}, the configured quantiles and
 * optionally their classic buckets (cumulative, one field per {@code le}, as Telegraf's Prometheus input writes
 * them). Values in exported units (seconds for timers). NaN and infinite values, which line protocol cannot carry,
 * are left out (a line with no field left is not written).
 *
 * <p>Nothing is allocated per line: each series' {@code measurement,tags } prefix is escaped and encoded once; the
 * lines go into one reused {@link LineBuffer}, gzip (when asked) into a reused {@link GzipBody}. Not thread-safe.
 */
final class LineProtocolEncoder implements PushEncoder, SeriesVisitor {
    private final MetricsEngine engine;
    private final HistogramLayout layout;
    private final Map<String, String> externalLabels;
    private final Precision precision;
    /** Sorted ascending, so that one walk over a histogram's buckets finds them all. */
    private final double[] quantiles;
    private final long[] quantileValues;
    private final boolean classicBuckets;
    private final boolean counterDelta;
    private final GzipBody gzip;
    private final IdTable<FamilyLines> families = new IdTable<>(64);
    private final IdTable<byte[]> prefixes = new IdTable<>(1024);
    private final Function<FamilyMetadata, FamilyLines> newFamily;
    private final Function<SeriesMetadata, byte[]> newPrefix;
    private final LineBuffer lines = new LineBuffer();
    private final PushBatch batch = new PushBatch();
    private final byte[] time = new byte[24];
    private final ClassicReading classic = new ClassicReading();
    /** Counter totals of the latest encoding and of the last delivered one, by series id (for deltas). */
    private double[] encodedTotals = new double[0];
    private double[] deliveredTotals = new double[0];

    private FamilyMetadata familyDescriptor;
    private FamilyLines family;
    private int timeLength;
    private int samples;

    LineProtocolEncoder(MetricsEngine engine, Map<String, String> externalLabels, Precision precision,
                        double[] quantiles, boolean classicBuckets, boolean counterDelta, boolean gzip) {
        this.engine = engine;
        this.layout = engine.histogramLayout();
        this.externalLabels = externalLabels;
        this.precision = precision;
        this.quantiles = quantiles.clone();
        Arrays.sort(this.quantiles);
        this.quantileValues = new long[this.quantiles.length];
        this.classicBuckets = classicBuckets;
        this.counterDelta = counterDelta;
        this.gzip = gzip ? new GzipBody() : null;
        this.newFamily = f -> new FamilyLines(f, this.quantiles, this.classicBuckets);
        this.newPrefix = this::prefix;
    }

    @Override
    public PushBatch encode() {
        lines.clear();
        samples = 0;
        engine.snapshot(this);
        if (gzip == null) {
            batch.set(lines.bytes(), lines.length(), samples);
        } else {
            gzip.compress(lines.bytes(), lines.length());
            batch.set(gzip.bytes(), gzip.length(), samples);
        }
        return batch;
    }

    @Override
    public void delivered() {
        if (counterDelta) {
            if (deliveredTotals.length < encodedTotals.length) {
                deliveredTotals = Arrays.copyOf(deliveredTotals, encodedTotals.length);
            }
            System.arraycopy(encodedTotals, 0, deliveredTotals, 0, encodedTotals.length);
        }
    }

    /** The uncompressed lines of the last {@link #encode()}, for tests. */
    String lastLines() {
        return new String(lines.bytes(), 0, lines.length(), StandardCharsets.UTF_8);
    }

    @Override
    public void family(FamilyMetadata descriptor, long timestampMillis) {
        familyDescriptor = descriptor;
        family = families.computeIfAbsent(descriptor.index(), descriptor, newFamily);
        // " <timestamp>\n", the same for every line of the push.
        long stamp = precision.fromMillis(timestampMillis);
        int digits = DoubleFormat.decimalLength(stamp);
        time[0] = ' ';
        for (int i = digits; i >= 1; i--) {
            time[i] = (byte) ('0' + stamp % 10);
            stamp /= 10;
        }
        time[digits + 1] = '\n';
        timeLength = digits + 2;
    }

    @Override
    public void series(SeriesCursor cursor) {
        byte[] prefix = prefixes.computeIfAbsent(cursor.series().id(), cursor.series(), newPrefix);
        switch (family.type) {
            case COUNTER -> counter(prefix, cursor.series().id(), cursor.counterValue());
            case GAUGE -> {
                double value = cursor.gaugeValue();
                if (Double.isFinite(value)) {
                    lines.put(prefix);
                    lines.put(FamilyLines.VALUE);
                    lines.putDouble(value);
                    endLine(1);
                }
            }
            default -> histogram(prefix, cursor);
        }
    }

    private void counter(byte[] prefix, int id, double total) {
        if (!Double.isFinite(total)) {
            return;
        }
        lines.put(prefix);
        lines.put(FamilyLines.VALUE);
        lines.putDouble(total);
        int fields = 1;
        if (counterDelta) {
            if (id >= encodedTotals.length) {
                encodedTotals = Arrays.copyOf(encodedTotals, Math.max(2 * encodedTotals.length, id + 1));
            }
            encodedTotals[id] = total;
            double base = id < deliveredTotals.length ? deliveredTotals[id] : 0;
            lines.put(FamilyLines.DELTA);
            lines.putDouble(total - base);
            fields++;
        }
        endLine(fields);
    }

    private void histogram(byte[] prefix, SeriesCursor cursor) {
        boolean buckets = family.bucketKeys.length > 0;
        // One read for the HDR and the classic buckets, so that both agree on the count.
        HistogramReading reading = buckets ? cursor.histogram(classic) : cursor.histogram();
        long count = reading.count();
        lines.put(prefix);
        lines.put(FamilyLines.COUNT);
        lines.putLong(count);
        lines.put((byte) 'i');
        lines.put(FamilyLines.SUM);
        lines.putDouble(reading.sum() / family.scale);
        int fields = 2;
        if (count > 0) {
            lines.put(FamilyLines.MIN);
            lines.putDouble(reading.min() / family.scale);
            lines.put(FamilyLines.MAX);
            lines.putDouble(reading.max() / family.scale);
            fields += 2;
            if (quantiles.length > 0) {
                HdrQuantiles.valuesAt(reading, layout, quantiles, quantileValues);
            }
            for (int i = 0; i < quantiles.length; i++) {
                lines.put(family.quantileKeys[i]);
                lines.putDouble(quantileValues[i] / family.scale);
            }
            fields += quantiles.length;
        }
        if (buckets) {
            long cumulative = 0;
            for (int k = 0; k <= classic.boundCount(); k++) {
                cumulative += classic.bucketCount(k);
                lines.put(family.bucketKeys[k]);
                lines.putLong(cumulative);
                lines.put((byte) 'i');
            }
            fields += classic.boundCount() + 1;
        }
        endLine(fields);
    }

    private void endLine(int fields) {
        for (int i = 0; i < timeLength; i++) {
            lines.put(time[i]);
        }
        samples += fields;
    }

    /** {@code measurement,tag=value,... } (trailing space), tags sorted by key, empty values left out. */
    private byte[] prefix(SeriesMetadata series) {
        StringBuilder prefix = new StringBuilder(family.measurement);
        for (Map.Entry<String, String> tag : SeriesLabels.of(familyDescriptor, series, externalLabels).entrySet()) {
            if (!tag.getValue().isEmpty()) {
                prefix.append(',').append(LineEscaper.key(tag.getKey())).append('=')
                        .append(LineEscaper.key(tag.getValue()));
            }
        }
        return prefix.append(' ').toString().getBytes(StandardCharsets.UTF_8);
    }
}
