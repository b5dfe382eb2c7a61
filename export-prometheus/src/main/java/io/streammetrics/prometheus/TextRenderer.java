package io.streammetrics.prometheus;

import io.streammetrics.exemplar.Exemplar;
import io.streammetrics.metadata.FamilyMetadata;
import io.streammetrics.metadata.SeriesMetadata;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.SeriesCursor;
import io.streammetrics.snapshot.SeriesVisitor;
import io.streammetrics.internal.text.DoubleFormat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One scrape's rendering in text 0.0.4 or OpenMetrics: visits the store ({@link SeriesVisitor}) and, as the
 * {@link FamilyPlan}s say, appends each sample line to a byte buffer from the pre-encoded parts of the family
 * ({@link TextFamily}) and series ({@link TextEncodings}), numbers through {@link DoubleFormat}, a histogram's
 * classic counts read through {@link ClassicCounts}. The buffers are kept for the next scrape, so a steady-state
 * scrape allocates nothing (summaries aside: their sliding window copies bucket counts; and series holding
 * exemplars, which OpenMetrics shows and which are copied out of the store). Used by one scrape at a time;
 * {@link StoreTextWriter} keeps a spare one.
 */
final class TextRenderer implements SeriesVisitor {
    private static final byte[] EOF = {'#', ' ', 'E', 'O', 'F', '\n'};
    private static final byte[] EXEMPLAR_START = " # {trace_id=\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SPAN_ID = "\",span_id=\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final FamilyPlans plans;
    private final TextEncodings encodings;
    private final ClassicCounts classic = new ClassicCounts();
    private long[] counts = new long[16];
    private byte[] bytes = new byte[64 * 1024];
    private int length;
    /** The text format's {@code _created} families, appended after all others as client_java does. */
    private byte[] createdBytes = new byte[0];
    private int createdLength;

    private boolean openMetrics;
    private boolean writeCreated;
    private Predicate<String> filter;
    private FamilyPlan plan;
    private TextFamily text;
    private boolean active;
    private boolean headerWritten;
    private long timestampMillis;
    /** The current series' exemplars (OpenMetrics only; else empty). */
    private List<Exemplar> exemplars = List.of();

    TextRenderer(FamilyPlans plans, TextEncodings encodings) {
        this.plans = plans;
        this.encodings = encodings;
    }

    void begin(TextFormat format, boolean writeCreated, Predicate<String> filter) {
        this.openMetrics = format == TextFormat.OPENMETRICS;
        this.writeCreated = writeCreated;
        this.filter = filter;
        this.length = 0;
        this.createdLength = 0;
        this.plan = null;
        this.active = false;
    }

    /** Appends what follows the last family; the rendering is then complete in {@link #bytes()}. */
    void end() {
        if (createdLength > 0) {
            ensure(createdLength);
            System.arraycopy(createdBytes, 0, bytes, length, createdLength);
            length += createdLength;
        }
        if (openMetrics) {
            put(EOF);
        }
        filter = null;
    }

    byte[] bytes() {
        return bytes;
    }

    int length() {
        return length;
    }

    @Override
    public void family(FamilyMetadata family, long timestampMillis) {
        this.timestampMillis = timestampMillis;
        plan = plans.forScrape(family);
        active = plan != null && filter.test(plan.prometheusName);
        text = active ? encodings.family(family.index(), plan) : null;
        headerWritten = false;
    }

    @Override
    public void series(SeriesCursor cursor) {
        if (!active) {
            return;
        }
        SeriesMetadata series = cursor.series();
        byte[] labels = encodings.labels(series);
        boolean created = writeCreated && plan.kind != FamilyPlan.Kind.GAUGE;
        if (!headerWritten) {
            // client_java writes no header for a family without samples.
            put(openMetrics ? text.openMetricsHeader : text.textHeader);
            if (created && !openMetrics) {
                putCreated(text.textCreatedHeader);
            }
            headerWritten = true;
        }
        exemplars = openMetrics && (plan.kind == FamilyPlan.Kind.COUNTER || plan.kind == FamilyPlan.Kind.HISTOGRAM)
                ? cursor.exemplars() : List.of();
        switch (plan.kind) {
            case COUNTER:
                sample(text.total, labels);
                putDouble(cursor.counterValue());
                if (!exemplars.isEmpty()) {
                    putExemplar(exemplars.get(0), 1);
                }
                break;
            case GAUGE:
                sample(text.name, labels);
                putDouble(cursor.gaugeValue());
                break;
            case HISTOGRAM:
                histogram(cursor, labels, (FamilyPlan.Histogram) plan);
                break;
            default:
                summary((HistogramPoint) cursor.toPoint(), labels, (FamilyPlan.Summary) plan);
                break;
        }
        if (created) {
            created(series.createdMillis(), labels);
        }
    }

    /**
     * The {@code le} buckets, count and sum of one series, the counts as {@link ClassicCounts} reads them: the store's
     * for the family's own bounds (a few dozen longs), or else mapped from the HDR buckets.
     */
    private void histogram(SeriesCursor cursor, byte[] labels, FamilyPlan.Histogram plan) {
        double[] bounds = plan.bounds;
        if (counts.length < bounds.length + 1) {
            counts = new long[bounds.length + 1];
        }
        // Native-only plans have no bounds: only the +Inf bucket is rendered.
        classic.read(cursor, plan, counts);
        long count = classic.count();
        long cumulative = 0;
        for (int i = 0; i < bounds.length; i++) {
            cumulative += counts[i];
            sample(text.bucket, labels, text.leLabels[i]);
            putLong(cumulative);
            bucketExemplar(i == 0 ? Double.NEGATIVE_INFINITY : bounds[i - 1], bounds[i]);
        }
        // +Inf: every value; equal to the cumulative sum of all buckets on both paths.
        sample(text.bucket, labels, text.leLabels[bounds.length]);
        putLong(count);
        bucketExemplar(bounds.length == 0 ? Double.NEGATIVE_INFINITY : bounds[bounds.length - 1],
                Double.POSITIVE_INFINITY);
        sample(text.count, labels);
        putLong(count);
        sample(text.sum, labels);
        putDouble(classic.sum() / plan.scale);
    }

    /**
     * Appends to the bucket line just written the exemplar whose value (in exported units) lies in
     * {@code (lower, upper]}, as client_java picks one per bucket: the bucket's own exemplar first, else the newest or
     * largest when it falls there.
     */
    private void bucketExemplar(double lower, double upper) {
        if (exemplars.isEmpty()) {
            return;
        }
        Exemplar chosen = null;
        for (Exemplar e : exemplars) {
            double value = e.value() / plan.scale;
            if (value > lower && value <= upper && (chosen == null
                    || (e.kind() == Exemplar.Kind.CLASSIC_BUCKET && chosen.kind() != Exemplar.Kind.CLASSIC_BUCKET))) {
                chosen = e;
            }
        }
        if (chosen != null) {
            putExemplar(chosen, plan.scale);
        }
    }

    /**
     * Replaces the line end just written with OpenMetrics' exemplar: {@code # {trace_id="..",span_id=".."} value
     * timestamp}.
     */
    private void putExemplar(Exemplar e, double scale) {
        length--;
        Map<String, String> extra = e.labels();
        ensure(EXEMPLAR_START.length + 32 + SPAN_ID.length + 16 + 3 + 256 * extra.size());
        System.arraycopy(EXEMPLAR_START, 0, bytes, length, EXEMPLAR_START.length);
        length += EXEMPLAR_START.length;
        putHex(e.traceIdHigh());
        putHex(e.traceIdLow());
        System.arraycopy(SPAN_ID, 0, bytes, length, SPAN_ID.length);
        length += SPAN_ID.length;
        putHex(e.spanId());
        bytes[length++] = '"';
        for (Map.Entry<String, String> label : extra.entrySet()) {
            byte[] text = (',' + label.getKey() + "=\"" + escape(label.getValue()) + '"')
                    .getBytes(StandardCharsets.UTF_8);
            ensure(text.length + 2);
            System.arraycopy(text, 0, bytes, length, text.length);
            length += text.length;
        }
        bytes[length++] = '}';
        bytes[length++] = ' ';
        ensure(DoubleFormat.MAX_LENGTH + 1);
        length = DoubleFormat.write(e.value() / scale, bytes, length);
        bytes[length++] = ' ';
        putTimestamp(e.timestampMillis());
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private void putHex(long value) {
        for (int i = 15; i >= 0; i--) {
            bytes[length + i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
        length += 16;
    }

    private void summary(HistogramPoint point, byte[] labels, FamilyPlan.Summary plan) {
        org.HdrHistogram.Histogram window = plan.window.window(point, timestampMillis);
        double[] quantiles = SlidingWindowSummary.QUANTILES;
        for (int i = 0; i < quantiles.length; i++) {
            sample(text.name, labels, TextFamily.QUANTILE_LABELS[i]);
            putDouble(SlidingWindowSummary.quantile(window, quantiles[i], plan.scale));
        }
        sample(text.count, labels);
        putLong(point.count());
        sample(text.sum, labels);
        putDouble(point.sum() / plan.scale);
    }

    /** {@code name_created{labels} seconds.millis}: in line for OpenMetrics, in a family of its own for text. */
    private void created(long createdMillis, byte[] labels) {
        if (openMetrics) {
            sample(text.created, labels);
            putTimestamp(createdMillis);
            return;
        }
        // Render in the main buffer, then move the line over: one line never needs more than it already holds.
        int start = length;
        sample(text.created, labels);
        putTimestamp(createdMillis);
        int lineLength = length - start;
        length = start;
        if (createdBytes.length < createdLength + lineLength) {
            createdBytes = Arrays.copyOf(createdBytes, Math.max(2 * createdBytes.length, createdLength + lineLength));
        }
        System.arraycopy(bytes, start, createdBytes, createdLength, lineLength);
        createdLength += lineLength;
    }

    private void putCreated(byte[] header) {
        if (createdBytes.length < createdLength + header.length) {
            createdBytes = Arrays.copyOf(createdBytes,
                    Math.max(2 * createdBytes.length, createdLength + header.length + 4096));
        }
        System.arraycopy(header, 0, createdBytes, createdLength, header.length);
        createdLength += header.length;
    }

    /** {@code name{labels} } (the value follows). */
    private void sample(byte[] name, byte[] labels) {
        ensure(name.length + labels.length + 2);
        putNameAndLabels(name, labels);
        if (labels.length > 0) {
            bytes[length++] = '}';
        }
        bytes[length++] = ' ';
    }

    /** {@code name{labels,extra} } where {@code extra} is a pre-encoded {@code le="..."}} or quantile label. */
    private void sample(byte[] name, byte[] labels, byte[] extra) {
        ensure(name.length + labels.length + extra.length + 2);
        putNameAndLabels(name, labels);
        bytes[length++] = labels.length > 0 ? (byte) ',' : (byte) '{';
        System.arraycopy(extra, 0, bytes, length, extra.length);
        length += extra.length;
        bytes[length++] = ' ';
    }

    /** The caller has ensured room. */
    private void putNameAndLabels(byte[] name, byte[] labels) {
        System.arraycopy(name, 0, bytes, length, name.length);
        length += name.length;
        System.arraycopy(labels, 0, bytes, length, labels.length);
        length += labels.length;
    }

    private void putDouble(double value) {
        ensure(DoubleFormat.MAX_LENGTH + 1);
        length = DoubleFormat.write(value, bytes, length);
        bytes[length++] = '\n';
    }

    private void putLong(long value) {
        ensure(21);
        length = putDigits(value, length);
        bytes[length++] = '\n';
    }

    /** OpenMetrics timestamp: seconds with three decimals, as client_java writes {@code _created}. */
    private void putTimestamp(long millis) {
        ensure(25);
        length = putDigits(millis / 1000, length);
        bytes[length++] = '.';
        long ms = millis % 1000;
        bytes[length++] = (byte) ('0' + ms / 100);
        bytes[length++] = (byte) ('0' + ms / 10 % 10);
        bytes[length++] = (byte) ('0' + ms % 10);
        bytes[length++] = '\n';
    }

    private int putDigits(long value, int at) {
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                // Its magnitude has no long: write it as the double client_java would, it is exact.
                return DoubleFormat.write(value, bytes, at);
            }
            bytes[at++] = '-';
            value = -value;
        }
        int end = at + DoubleFormat.decimalLength(value);
        for (int i = end - 1; i >= at; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return end;
    }

    private void put(byte[] source) {
        ensure(source.length);
        System.arraycopy(source, 0, bytes, length, source.length);
        length += source.length;
    }

    private void ensure(int extra) {
        if (length + extra > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, length + extra));
        }
    }
}
