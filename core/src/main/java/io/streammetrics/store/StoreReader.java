package io.streammetrics.store;

import io.streammetrics.metric.MetricType;
import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.PrintStream;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.streammetrics.store.StoreLayout.*;

/**
 * Opens a memory-mapped store file read-only, from any process, and lists every series with its current value:
 * the basis of a command-line {@code stat} tool ({@code java -cp ... io.streammetrics.store.StoreReader FILE}).
 *
 * <p>It never writes to the file, so it cannot take part in the writer's read epochs: histograms are read under
 * the record's seqlock version, retried while the writer is inside an update. A histogram updated so often that
 * {@value #MAX_ATTEMPTS} attempts all collide is returned with {@link Series#consistent()} false and its count
 * recomputed from the buckets read. Classic bucket counts are read in the same attempt as the HDR buckets, so they
 * agree with them whenever {@link Series#consistent()} holds.
 */
public final class StoreReader implements AutoCloseable {
    private static final int MAX_ATTEMPTS = 1000;

    private final File file;
    private final MappedByteBuffer mapped;
    private final AtomicBuffer buffer;
    private final StoreLayout layout;
    private final HistogramLayout histogramLayout;

    private StoreReader(File file) {
        this.file = file;
        this.mapped = IoUtil.mapExistingFile(file, FileChannel.MapMode.READ_ONLY, "streammetrics store");
        this.buffer = new UnsafeBuffer(mapped);
        if (buffer.capacity() < HEADER_LENGTH || buffer.getIntVolatile(MAGIC_OFFSET) != MAGIC) {
            IoUtil.unmap(mapped);
            throw new IllegalArgumentException(file + " is not a streammetrics store (bad magic number)");
        }
        int version = buffer.getInt(VERSION_OFFSET);
        if (version != LAYOUT_VERSION) {
            IoUtil.unmap(mapped);
            throw new IllegalArgumentException(file + " has store layout version " + version + ", this reader reads "
                    + LAYOUT_VERSION);
        }
        this.layout = new StoreLayout(buffer.getInt(MAX_FAMILIES_OFFSET), buffer.getInt(MAX_SERIES_OFFSET),
                buffer.getInt(MAX_HISTOGRAMS_OFFSET), buffer.getInt(COUNTS_LENGTH_OFFSET));
        this.histogramLayout = new HistogramLayout(buffer.getLong(HISTOGRAM_LOWEST_OFFSET),
                buffer.getLong(HISTOGRAM_HIGHEST_OFFSET), buffer.getInt(HISTOGRAM_DIGITS_OFFSET));
        if (layout.totalLength() > buffer.capacity()) {
            IoUtil.unmap(mapped);
            throw new IllegalArgumentException(file + " is truncated: " + buffer.capacity() + " bytes, layout needs "
                    + layout.totalLength());
        }
    }

    /**
     * Maps an existing store file read-only.
     *
     * @throws IllegalArgumentException if the file is not a store of a layout version this reader knows
     */
    public static StoreReader open(File file) {
        return new StoreReader(file);
    }

    /** Process id of the writer. */
    public long writerPid() {
        return buffer.getLong(PID_OFFSET);
    }

    /** Last heartbeat of the writer's aggregator, epoch millis. */
    public long heartbeatMillis() {
        return buffer.getLongVolatile(HEARTBEAT_OFFSET);
    }

    /** Whether the writer has closed the store. */
    public boolean isClosed() {
        return buffer.getIntVolatile(STATE_OFFSET) == STATE_CLOSED;
    }

    public HistogramLayout histogramLayout() {
        return histogramLayout;
    }

    /** Every complete series, in registration order, with its current value. */
    public List<Series> series() {
        int seriesCount = buffer.getIntVolatile(SERIES_COUNT_OFFSET);
        Map<Integer, Family> families = new LinkedHashMap<>();
        List<Series> result = new ArrayList<>(seriesCount);
        for (int id = 0; id < seriesCount; id++) {
            int base = (int) layout.seriesOffset(id);
            if (buffer.getIntVolatile(base + SERIES_STATE_OFFSET) != RECORD_LIVE) {
                continue;
            }
            int familyIndex = buffer.getInt(base + SERIES_FAMILY_OFFSET);
            Family family = families.computeIfAbsent(familyIndex, this::readFamily);
            int labelCount = buffer.getInt(base + SERIES_LABEL_COUNT_OFFSET);
            Map<String, String> labels = new LinkedHashMap<>();
            int at = base + SERIES_TEXT_OFFSET;
            for (int i = 0; i < labelCount; i++) {
                String value = buffer.getStringUtf8(at);
                at += 4 + buffer.getInt(at);
                labels.put(i < family.labelNames.size() ? family.labelNames.get(i) : "label" + i, value);
            }
            int valueBase = (int) layout.valueOffset(id);
            double value;
            HistogramReading histogram = null;
            ClassicReading classic = null;
            boolean consistent = true;
            switch (family.type) {
                case COUNTER:
                    value = MetricStore.counterValue(buffer, valueBase);
                    break;
                case GAUGE:
                    value = Double.longBitsToDouble(buffer.getLongVolatile(valueBase + VALUE_LONG_OFFSET));
                    break;
                default:
                    histogram = new HistogramReading(histogramLayout);
                    classic = new ClassicReading();
                    consistent = readHistogram(buffer.getInt(base + SERIES_HISTOGRAM_OFFSET), histogram, classic);
                    value = histogram.count();
                    break;
            }
            result.add(new Series(id, family.name, family.type, family.unit, family.help,
                    Collections.unmodifiableMap(labels), value, histogram,
                    histogram == null ? null : family.classicUpperBounds.clone(), classic, consistent,
                    buffer.getLongVolatile(valueBase + VALUE_UPDATES_OFFSET),
                    buffer.getLongVolatile(valueBase + VALUE_LAST_UPDATE_OFFSET)));
        }
        return result;
    }

    private Family readFamily(int index) {
        int base = (int) layout.familyOffset(index);
        MetricType type = MetricType.fromStoreCode(buffer.getInt(base + FAMILY_TYPE_OFFSET));
        int labelCount = buffer.getInt(base + FAMILY_LABEL_COUNT_OFFSET);
        int at = base + FAMILY_TEXT_OFFSET;
        String[] text = new String[3];
        for (int i = 0; i < 3; i++) {
            text[i] = buffer.getStringUtf8(at);
            at += 4 + buffer.getInt(at);
        }
        List<String> labelNames = new ArrayList<>(labelCount);
        for (int i = 0; i < labelCount; i++) {
            labelNames.add(buffer.getStringUtf8(at));
            at += 4 + buffer.getInt(at);
        }
        double[] classicUpperBounds = new double[Math.max(0, Math.min(ClassicBuckets.MAX_UPPER_BOUNDS,
                buffer.getInt(base + FAMILY_CLASSIC_COUNT_OFFSET)))];
        for (int k = 0; k < classicUpperBounds.length; k++) {
            classicUpperBounds[k] = buffer.getDouble(base + FAMILY_CLASSIC_BOUNDS_OFFSET + 8 * k);
        }
        return new Family(text[0], type, text[1], text[2], labelNames, classicUpperBounds);
    }

    private boolean readHistogram(int histogramIndex, HistogramReading out, ClassicReading classic) {
        int base = (int) layout.histogramOffset(histogramIndex);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            long before = buffer.getLongVolatile(base);
            if ((before & 1L) == 0) {
                MetricStore.readRecord(buffer, base, out, classic);
                VarHandle.acquireFence();
                if (buffer.getLongVolatile(base) == before) {
                    return true;
                }
            }
            Thread.onSpinWait();
        }
        // Too hot to catch between two updates: keep what was read, with a count that matches its buckets.
        MetricStore.readRecord(buffer, base, out, classic);
        long count = 0;
        for (int i = out.lowIndex(); i <= out.highIndex(); i++) {
            count += out.countAt(i);
        }
        out.set(count, out.sum(), out.min(), out.max(), out.lowIndex(), out.highIndex());
        return false;
    }

    @Override
    public void close() {
        IoUtil.unmap(mapped);
    }

    @Override
    public String toString() {
        return "StoreReader[" + file + "]";
    }

    /** Prints every series of the store file named by the first argument, one per line. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: java -cp streammetrics-core.jar io.streammetrics.store.StoreReader STORE_FILE");
            System.exit(2);
        }
        try (StoreReader reader = open(new File(args[0]))) {
            print(reader, System.out);
        }
    }

    /** Writes one line per series: {@code name{labels} value}, histograms as count, sum, min and max. */
    public static void print(StoreReader reader, PrintStream out) {
        for (Series series : reader.series()) {
            StringBuilder line = new StringBuilder(series.name());
            if (!series.labels().isEmpty()) {
                line.append('{');
                boolean first = true;
                for (Map.Entry<String, String> label : series.labels().entrySet()) {
                    if (!first) {
                        line.append(',');
                    }
                    first = false;
                    line.append(label.getKey()).append("=\"").append(escape(label.getValue())).append('"');
                }
                line.append('}');
            }
            line.append(' ');
            if (series.histogram() != null) {
                HistogramReading h = series.histogram();
                line.append("count=").append(h.count()).append(" sum=").append(h.sum()).append(" min=").append(h.min())
                        .append(" max=").append(h.max());
            } else {
                line.append(series.value());
            }
            out.println(line);
        }
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static final class Family {
        final String name;
        final MetricType type;
        final String unit;
        final String help;
        final List<String> labelNames;
        final double[] classicUpperBounds;

        Family(String name, MetricType type, String unit, String help, List<String> labelNames,
               double[] classicUpperBounds) {
            this.name = name;
            this.type = type;
            this.unit = unit;
            this.help = help;
            this.labelNames = Collections.unmodifiableList(labelNames);
            this.classicUpperBounds = classicUpperBounds;
        }
    }

    /**
     * One series as read from the file.
     *
     * @param value counter total, gauge value, or a histogram's count
     * @param histogram count, sum, min, max and buckets for histograms and timers, else null
     * @param classicUpperBounds the family's classic bounds in exported units (seconds for timers) without
     *                           {@code +Inf}, for histograms and timers, else null
     * @param classic the counts of those classic buckets, read with {@code histogram}, else null
     * @param consistent false only for a histogram too hot to read between two updates
     */
    public record Series(int id, String name, MetricType type, String unit, String help, Map<String, String> labels,
                         double value, HistogramReading histogram, double[] classicUpperBounds, ClassicReading classic,
                         boolean consistent, long updates, long lastUpdateMillis) {
    }
}
