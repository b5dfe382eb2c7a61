package io.streammetrics.internal.store;

import io.streammetrics.common.ClassicBuckets;
import io.streammetrics.common.HistogramLayout;
import io.streammetrics.common.MetricType;
import io.streammetrics.exemplar.Exemplar;

import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.streammetrics.internal.store.StoreLayout.*;

/**
 * Opens a memory-mapped store file read-only, from any process, and lists every series with its current value:
 * the basis of a command-line {@code stat} tool ({@code java -cp ... io.streammetrics.internal.store.StoreReader FILE}).
 *
 * <p>It never writes to the file, so it cannot take part in the writer's read epochs: histograms are read under
 * their header's seqlock version, retried while the writer is inside an update. A histogram updated so often that
 * {@value #MAX_ATTEMPTS} attempts all collide is returned with {@link Series#consistent()} false and its count
 * recomputed from the buckets read. Classic bucket counts are read in the same attempt as the HDR buckets, so they
 * agree with them whenever {@link Series#consistent()} holds. Segments are mapped as the writer adds them.
 *
 * <p><b>Damaged files.</b> Every header field, directory entry, record offset and length is checked against the
 * segments the file holds before it is used, and a histogram read without interference must be consistent (its
 * buckets add up to its count, its classic counts too). A file that fails a check gets one
 * {@link StoreFormatException} naming the file and the first problem; the reader never reads outside the file,
 * never allocates more than the file's size justifies, and never loops on it. Values that are damaged but
 * well-formed (a counter's bits, a label's text) cannot be told from real ones.
 */
public final class StoreReader implements AutoCloseable {
    private static final int MAX_ATTEMPTS = 1000;
    private static final int HEADER_FIELDS_LENGTH = FAMILY_DIRECTORY_OFFSET;

    private final File file;
    private final FileChannel channel;
    private final int segmentSize;
    private final int shift;
    private final int maxFamilies;
    private final int seriesChunks;
    private final int seriesDirectory;
    private final HistogramLayout histogramLayout;
    /** Every histogram is read into this one, then kept as a copy of its occupied range. */
    private final HistogramReading reading;
    /** The mapped segments as the shared histogram read resolves offsets; never beyond what is mapped. */
    private final SegmentView mappedSegments = new SegmentView() {
        @Override
        public AtomicBuffer bufferOrNull(long offset) {
            long index = offset >>> shift;
            return offset > 0 && index < segments.length ? segments[(int) index] : null;
        }

        @Override
        public int position(long offset) {
            return (int) (offset & (segmentSize - 1));
        }
    };
    private AtomicBuffer[] segments = new AtomicBuffer[0];
    private final List<MappedByteBuffer> mapped = new ArrayList<>();

    private StoreReader(File file) {
        this.file = file;
        try {
            this.channel = FileChannel.open(file.toPath(), StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open store file " + file + ": " + e.getMessage(), e);
        }
        try {
            long size = channel.size();
            ByteBuffer fields = ByteBuffer.allocate(HEADER_FIELDS_LENGTH).order(ByteOrder.nativeOrder());
            if (size < HEADER_FIELDS_LENGTH || channel.read(fields, 0) < HEADER_FIELDS_LENGTH) {
                throw new StoreFormatException(file, "is not a streammetrics store (" + size
                        + " bytes, shorter than a store header)");
            }
            if (fields.getInt(MAGIC_OFFSET) != MAGIC) {
                throw new StoreFormatException(file, "is not a streammetrics store (bad magic number)");
            }
            int version = fields.getInt(VERSION_OFFSET);
            if (version != LAYOUT_VERSION) {
                throw new StoreFormatException(file, "has store layout version " + version + ", this reader reads "
                        + LAYOUT_VERSION);
            }
            this.segmentSize = fields.getInt(SEGMENT_SIZE_OFFSET);
            if (segmentSize < 4096 || Integer.bitCount(segmentSize) != 1) {
                throw damaged("segment size " + segmentSize + " is not a power of two of at least 4096");
            }
            this.shift = Integer.numberOfTrailingZeros(segmentSize);
            this.maxFamilies = fields.getInt(MAX_FAMILIES_OFFSET);
            this.seriesChunks = fields.getInt(SERIES_CHUNKS_OFFSET);
            if (maxFamilies < 1 || seriesChunks < 1
                    || FAMILY_DIRECTORY_OFFSET + 8L * maxFamilies + 8L * seriesChunks > segmentSize) {
                throw damaged("directories for " + maxFamilies + " families and " + seriesChunks
                        + " series chunks do not fit a segment of " + segmentSize + " bytes");
            }
            this.seriesDirectory = FAMILY_DIRECTORY_OFFSET + 8 * maxFamilies;
            try {
                this.histogramLayout = new HistogramLayout(fields.getLong(HISTOGRAM_LOWEST_OFFSET),
                        fields.getLong(HISTOGRAM_HIGHEST_OFFSET), fields.getInt(HISTOGRAM_DIGITS_OFFSET));
            } catch (IllegalArgumentException e) {
                throw damaged(e.getMessage());
            }
            if (8L * histogramLayout.countsLength() > segmentSize) {
                throw damaged("histograms of " + histogramLayout.countsLength() + " buckets do not fit a segment of "
                        + segmentSize + " bytes");
            }
            this.reading = new HistogramReading(histogramLayout);
            mapSegments();
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot read store file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Maps an existing store file read-only.
     *
     * @throws StoreFormatException if the file is not a store of a layout version this reader knows, or is damaged
     * @throws UncheckedIOException if it cannot be read
     */
    public static StoreReader open(File file) {
        return new StoreReader(file);
    }

    private StoreFormatException damaged(String what) {
        return StoreFormatException.damaged(file, what);
    }

    /** Maps the segments the header says are in use, checked against the file's size. */
    private void mapSegments() throws IOException {
        int count = segments.length == 0 ? 1 : segments[0].getIntVolatile(SEGMENT_COUNT_OFFSET);
        if (segments.length > 0 && count == segments.length) {
            return;
        }
        long size = channel.size();
        if (count < 1 || (long) count * segmentSize > size) {
            throw damaged(count + " segments in use need " + (long) count * segmentSize + " bytes, the file has "
                    + size);
        }
        AtomicBuffer[] next = Arrays.copyOf(segments, count);
        for (int i = segments.length; i < count; i++) {
            MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_ONLY, (long) i << shift, segmentSize);
            mapped.add(buffer);
            next[i] = new UnsafeBuffer(buffer);
        }
        segments = next;
        if (segments.length == 1) {
            mapSegments();
        }
    }

    private AtomicBuffer header() {
        return segments[0];
    }

    /** Process id of the writer. */
    public long writerPid() {
        return header().getLong(PID_OFFSET);
    }

    /** Last heartbeat of the writer's aggregator, epoch millis. */
    public long heartbeatMillis() {
        return header().getLongVolatile(HEARTBEAT_OFFSET);
    }

    /** Whether the writer has closed the store. */
    public boolean isClosed() {
        return header().getIntVolatile(STATE_OFFSET) == STATE_CLOSED;
    }

    public HistogramLayout histogramLayout() {
        return histogramLayout;
    }

    /**
     * Every complete series, in registration order, with its current value.
     *
     * @throws StoreFormatException if the store is damaged
     */
    public List<Series> series() {
        try {
            mapSegments();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read store file " + file + ": " + e.getMessage(), e);
        }
        AtomicBuffer header = header();
        int familyCount = header.getIntVolatile(FAMILY_COUNT_OFFSET);
        int seriesCount = header.getIntVolatile(SERIES_COUNT_OFFSET);
        if (familyCount < 0 || familyCount > maxFamilies) {
            throw damaged("family count " + familyCount + " outside 0.." + maxFamilies);
        }
        if (seriesCount < 0 || (long) seriesCount > (long) seriesChunks * SERIES_PER_CHUNK) {
            throw damaged("series count " + seriesCount + " outside 0.." + (long) seriesChunks * SERIES_PER_CHUNK);
        }
        Map<Integer, Family> families = new HashMap<>();
        List<Series> result = new ArrayList<>(Math.min(seriesCount, 1 << 16));
        for (int id = 0; id < seriesCount; id++) {
            long chunk = header.getLongVolatile(seriesDirectory + 8 * (id / SERIES_PER_CHUNK));
            Record slot = record(chunk, SERIES_CHUNK_LENGTH, "chunk of series " + id);
            int base = slot.at + (id % SERIES_PER_CHUNK) * SERIES_SLOT_LENGTH;
            AtomicBuffer b = slot.buffer;
            if (b.getIntVolatile(base + SERIES_STATE_OFFSET) != RECORD_LIVE) {
                continue;
            }
            int familyIndex = b.getInt(base + SERIES_FAMILY_OFFSET);
            if (familyIndex < 0 || familyIndex >= familyCount) {
                throw damaged("series " + id + " names family " + familyIndex + " of " + familyCount);
            }
            Family family = families.get(familyIndex);
            if (family == null) {
                family = readFamily(familyIndex);
                families.put(familyIndex, family);
            }
            Map<String, String> labels = readLabels(id, b.getLong(base + SERIES_LABELS_OFFSET), family);
            double value;
            HistogramReading histogram = null;
            ClassicReading classic = null;
            boolean consistent = true;
            long histogramHeader = b.getLong(base + SERIES_HISTOGRAM_OFFSET);
            switch (family.type) {
                case COUNTER:
                    value = MetricStore.counterValue(b, base);
                    break;
                case GAUGE:
                    value = Double.longBitsToDouble(b.getLongVolatile(base + VALUE_LONG_OFFSET));
                    break;
                default:
                    classic = new ClassicReading();
                    consistent = readHistogram(id, histogramHeader, reading, classic);
                    histogram = reading.compactCopy();
                    value = histogram.count();
                    break;
            }
            result.add(new Series(id, family.name, family.type, family.unit, family.help,
                    Collections.unmodifiableMap(labels), value, histogram,
                    histogram == null ? null : family.classicUpperBounds.clone(), classic, consistent,
                    b.getLongVolatile(base + VALUE_UPDATES_OFFSET), b.getLongVolatile(base + VALUE_LAST_UPDATE_OFFSET),
                    family.type == MetricType.GAUGE ? List.of() : readExemplars(id, family.type)));
        }
        return result;
    }

    private List<Exemplar> readExemplars(int id, MetricType type) {
        try {
            return ExemplarAreas.read(mappedSegments, header(), seriesChunks, id, type == MetricType.COUNTER);
        } catch (IllegalStateException e) {
            throw damaged(e.getMessage());
        }
    }

    /** Where a record of {@code length} bytes at store offset {@code offset} lies, checked to be inside a segment. */
    private Record record(long offset, int length, String what) {
        long index = offset >>> shift;
        int at = (int) (offset & (segmentSize - 1));
        if (offset <= 0 || index >= segments.length || length < 0 || (long) at + length > segmentSize) {
            throw damaged(what + " at offset " + offset + " (" + length + " bytes) lies outside the "
                    + segments.length + " segments in use");
        }
        return new Record(segments[(int) index], at);
    }

    private Family readFamily(int index) {
        long offset = header().getLongVolatile(FAMILY_DIRECTORY_OFFSET + 8 * index);
        Record head = record(offset, FAMILY_TEXT_OFFSET, "family " + index);
        int length = head.buffer.getInt(head.at + FAMILY_LENGTH_OFFSET);
        if (length < FAMILY_TEXT_OFFSET) {
            throw damaged("family " + index + " has a record length of " + length);
        }
        Record r = record(offset, length, "family " + index);
        AtomicBuffer b = r.buffer;
        MetricType type;
        try {
            type = MetricStore.typeOf(b.getInt(r.at + FAMILY_TYPE_OFFSET));
        } catch (IllegalArgumentException e) {
            throw damaged("family " + index + ": " + e.getMessage());
        }
        int labelCount = b.getInt(r.at + FAMILY_LABEL_COUNT_OFFSET);
        int bounds = b.getInt(r.at + FAMILY_CLASSIC_COUNT_OFFSET);
        if (bounds < 0 || bounds > ClassicBuckets.MAX_UPPER_BOUNDS || FAMILY_TEXT_OFFSET + 8L * bounds > length) {
            throw damaged("family " + index + " has " + bounds + " classic bounds in a record of " + length + " bytes");
        }
        int end = r.at + length - 8 * bounds;
        if (labelCount < 0 || labelCount > (end - r.at - FAMILY_TEXT_OFFSET) / 4) {
            throw damaged("family " + index + " has " + labelCount + " label names in a record of " + length + " bytes");
        }
        String[] text = new String[3 + labelCount];
        int at = r.at + FAMILY_TEXT_OFFSET;
        for (int i = 0; i < text.length; i++) {
            int bytes = b.getInt(at);
            if (bytes < 0 || (long) at + 4 + bytes > end) {
                throw damaged("family " + index + " has a string of " + bytes + " bytes past its record's end");
            }
            text[i] = b.getStringWithoutLengthUtf8(at + 4, bytes);
            at += 4 + bytes;
        }
        double[] upperBounds = new double[bounds];
        for (int k = 0; k < bounds; k++) {
            upperBounds[k] = b.getDouble(end + 8 * k);
        }
        return new Family(text[0], type, text[1], text[2], Arrays.asList(text).subList(3, text.length), upperBounds);
    }

    private Map<String, String> readLabels(int id, long offset, Family family) {
        Record head = record(offset, 4, "label values of series " + id);
        int count = head.buffer.getInt(head.at);
        if (count != family.labelNames.size()) {
            throw damaged("series " + id + " has " + count + " label values, its family " + family.name + " "
                    + family.labelNames.size() + " label names");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        int at = head.at + 4;
        int end = head.at + 4 + MAX_LABEL_BYTES;
        for (int i = 0; i < count; i++) {
            int bytes = at + 4 <= segmentSize ? head.buffer.getInt(at) : -1;
            if (bytes < 0 || (long) at + 4 + bytes > Math.min(end, segmentSize)) {
                throw damaged("series " + id + " has a label value of " + bytes + " bytes past its record's end");
            }
            labels.put(family.labelNames.get(i), head.buffer.getStringWithoutLengthUtf8(at + 4, bytes));
            at += 4 + bytes;
        }
        return labels;
    }

    /**
     * Reads series {@code id}'s histogram under its seqlock. Returns false for a histogram too hot to catch between
     * two updates (then its count is recomputed from the buckets read).
     */
    private boolean readHistogram(int id, long headerOffset, HistogramReading out, ClassicReading classic) {
        Record head = record(headerOffset, HISTOGRAM_CLASSIC_OFFSET, "histogram header of series " + id);
        AtomicBuffer b = head.buffer;
        int base = head.at;
        int bounds = b.getInt(base + HISTOGRAM_CLASSIC_COUNT_OFFSET);
        if (bounds < 0 || bounds > ClassicBuckets.MAX_UPPER_BOUNDS) {
            throw damaged("histogram of series " + id + " has " + bounds + " classic bounds");
        }
        record(headerOffset, histogramHeaderLength(bounds), "histogram header of series " + id);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            long before = b.getLongVolatile(base);
            if ((before & 1L) == 0) {
                boolean valid = readRecord(b, base, out, classic);
                VarHandle.acquireFence();
                if (b.getLongVolatile(base) == before) {
                    if (!valid) {
                        throw damaged("histogram of series " + id + " has a page table or page outside its "
                                + "segments, or bucket indexes outside its table");
                    }
                    checkAddsUp(id, out, classic);
                    return true;
                }
            }
            Thread.onSpinWait();
        }
        if (isClosed()) {
            throw damaged("histogram of series " + id + " stays in the middle of an update (odd version) in a closed "
                    + "store");
        }
        // Too hot to catch between two updates: keep what was read, with a count that matches its buckets.
        if (!readRecord(b, base, out, classic)) {
            out.set(0, 0, 0, 0, 0, -1);
            return false;
        }
        long count = 0;
        for (int i = out.lowIndex(); i <= out.highIndex(); i++) {
            count += out.countAt(i);
        }
        out.set(count, out.sum(), out.min(), out.max(), out.lowIndex(), out.highIndex());
        return false;
    }

    private boolean readRecord(AtomicBuffer b, int base, HistogramReading out, ClassicReading classic) {
        return MetricStore.readRecord(b, base, mappedSegments, out, classic);
    }

    private void checkAddsUp(int id, HistogramReading histogram, ClassicReading classic) {
        long buckets = 0;
        for (int i = histogram.lowIndex(); i <= histogram.highIndex(); i++) {
            long count = histogram.countAt(i);
            if (count < 0) {
                throw damaged("histogram of series " + id + " has a negative count in bucket " + i);
            }
            buckets += count;
        }
        long slots = 0;
        for (int k = 0; k <= classic.boundCount(); k++) {
            slots += classic.bucketCount(k);
        }
        if (buckets != histogram.count() || slots != histogram.count()
                || (histogram.count() > 0 && histogram.highIndex() >= histogramLayout.countsLength())) {
            throw damaged("histogram of series " + id + " has count " + histogram.count() + " but buckets adding up to "
                    + buckets + " and classic buckets to " + slots);
        }
    }

    @Override
    public void close() {
        for (MappedByteBuffer buffer : mapped) {
            IoUtil.unmap(buffer);
        }
        mapped.clear();
        segments = new AtomicBuffer[0];
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "StoreReader[" + file + "]";
    }

    /**
     * Prints every series of the store file named by the first argument, one per line; a file that is not a
     * readable store gets one line on stderr and exit status 1.
     */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: java -cp streammetrics-core.jar io.streammetrics.internal.store.StoreReader STORE_FILE");
            System.exit(2);
        }
        try (StoreReader reader = open(new File(args[0]))) {
            print(reader, System.out);
        } catch (StoreFormatException | UncheckedIOException e) {
            System.err.println(e.getMessage());
            System.exit(1);
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
            for (Exemplar exemplar : series.exemplars()) {
                line.append(" # {trace_id=\"").append(exemplar.traceId()).append("\",span_id=\"")
                        .append(exemplar.spanIdHex()).append('"');
                for (Map.Entry<String, String> label : exemplar.labels().entrySet()) {
                    line.append(',').append(label.getKey()).append("=\"").append(escape(label.getValue())).append('"');
                }
                line.append("} ").append(exemplar.value()).append(' ').append(exemplar.timestampMillis());
            }
            out.println(line);
        }
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** A record's segment buffer and position. */
    private static final class Record {
        final AtomicBuffer buffer;
        final int at;

        Record(AtomicBuffer buffer, int at) {
            this.buffer = buffer;
            this.at = at;
        }
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
            this.labelNames = Collections.unmodifiableList(new ArrayList<>(labelNames));
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
     * @param exemplars the series' exemplars (a counter's one; a histogram's per classic bucket, newest, largest),
     *                  empty when none
     */
    public record Series(int id, String name, MetricType type, String unit, String help, Map<String, String> labels,
                         double value, HistogramReading histogram, double[] classicUpperBounds, ClassicReading classic,
                         boolean consistent, long updates, long lastUpdateMillis, List<Exemplar> exemplars) {
    }
}
