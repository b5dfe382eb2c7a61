package io.streammetrics.internal.store;

import io.streammetrics.common.ClassicBuckets;
import io.streammetrics.common.HistogramLayout;
import io.streammetrics.common.MetricType;

import org.agrona.concurrent.AtomicBuffer;

import java.io.File;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import static io.streammetrics.internal.store.StoreLayout.*;

/**
 * The off-heap store of every series: metadata written at registration, values written by exactly one thread (the
 * aggregator), read by any thread without stopping that writer. Layout: {@link StoreLayout}.
 *
 * <h2>Memory that follows the data</h2>
 * Nothing is reserved for a capacity: segments are taken as records need them, up to a memory limit that decides
 * whether a new series may register ({@link #hasRoomForSeries()}). A histogram holds counts only in the pages of 64
 * buckets its values reached ({@link CountPages}), each in the narrowest width (1, 2, 4 or 8 bytes) that holds its
 * counts: 200 latencies over three decades take about 1.1 KB, a million spread over the whole 1 ns - 1 h range about
 * 9 KB, where the full range in longs took 37 KB (twice). When a count outgrows its page's width the writer moves the
 * page to a wider one inside the update's seqlock phase, and another histogram takes the old page next: pages come
 * in four sizes only, so nothing fragments.
 *
 * <h2>Consistent histogram reads</h2>
 * A hot histogram can be written every few nanoseconds while copying its buckets takes microseconds, so a plain
 * seqlock would starve readers. Readers instead open a <em>read epoch</em> ({@link #beginRead()}); during an open
 * epoch the writer freezes a histogram in a scratch area before the first update it applies to it in that epoch
 * (copy-on-first-write, {@link EpochScratch}). A reader therefore finds every histogram either untouched since the
 * epoch opened (read in place, validated by the record's seqlock version) or frozen in the scratch. The writer
 * freezes each histogram at most once per epoch and never waits; readers never retry more than the one update that
 * was in flight when the epoch opened. The scratch holds only the histograms written during the read, with only
 * their occupied buckets, not a second copy of the store. Reads are serialized by the caller (one epoch at a time).
 * Readers in other processes ({@link StoreReader}) cannot take part in epochs; they use the seqlock alone.
 *
 * <h2>Classic buckets</h2>
 * Every histogram header also keeps the counts of its family's classic {@code le} buckets ({@link ClassicBuckets}),
 * updated with the HDR buckets inside the same seqlock version and frozen with them, so a reader that wants only
 * count, sum and classic counts ({@link #readClassic}) reads a few dozen longs instead of the occupied HDR range, and
 * sees them consistent with each other as {@link #readHistogram} sees the buckets.
 *
 * <p>Counters and gauges are 8-byte words, read atomically; a counter never goes backwards because the writer only
 * ever adds to it (and carries past {@code Long.MAX_VALUE}, {@link #counterAdd}).
 */
public final class MetricStore {
    /**
     * Type codes written into family records: the store's own, part of its file format (which other processes read),
     * so that renaming or reordering {@link MetricType} cannot change a file. {@link #typeCode} and {@link #typeOf}
     * map them.
     */
    public static final int TYPE_COUNTER = 1;
    public static final int TYPE_GAUGE = 2;
    public static final int TYPE_HISTOGRAM = 3;
    public static final int TYPE_TIMER = 4;

    /** The code a family of {@code type} is written with. */
    public static int typeCode(MetricType type) {
        return switch (type) {
            case COUNTER -> TYPE_COUNTER;
            case GAUGE -> TYPE_GAUGE;
            case HISTOGRAM -> TYPE_HISTOGRAM;
            case TIMER -> TYPE_TIMER;
        };
    }

    /**
     * The type written as {@code code}.
     *
     * @throws IllegalArgumentException if no type has that code
     */
    public static MetricType typeOf(int code) {
        return switch (code) {
            case TYPE_COUNTER -> MetricType.COUNTER;
            case TYPE_GAUGE -> MetricType.GAUGE;
            case TYPE_HISTOGRAM -> MetricType.HISTOGRAM;
            case TYPE_TIMER -> MetricType.TIMER;
            default -> throw new IllegalArgumentException("unknown metric type code " + code);
        };
    }

    private static final VarHandle EPOCH;
    /** What a counter's integer part carries into its double part when it would pass {@code Long.MAX_VALUE}. */
    private static final double CARRY = 0x1p63;
    /** The table offset of a frozen histogram: its counts follow its header. */
    private static final long FROZEN = -1;
    /** Smallest memory limit: the first segments and the reserve of {@link #hasRoomForSeries()}. */
    public static final long MIN_MEMORY_LIMIT = 4L * MIN_SEGMENT_SIZE;
    /** Largest memory limit: what page tables address, less the reserve the limit leaves for growth. */
    public static final long MAX_MEMORY_LIMIT = CountPages.MAX_STORE_BYTES / 2;

    static {
        try {
            EPOCH = MethodHandles.lookup().findVarHandle(MetricStore.class, "readEpoch", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final StoreLayout layout;
    private final HistogramLayout histogramLayout;
    private final long memoryLimit;
    private final StoreSegments segments;
    /** Segment 0: the header and the directories. */
    private final AtomicBuffer header;
    /** Registration's records (families, series chunks, label values, histogram headers); under the registry lock. */
    private final StoreArena metadata;
    /** The aggregator's records: histogram pages and page tables. */
    private final StoreArena blocks;
    private final HistogramSlots histograms = new HistogramSlots();
    private final EpochScratch scratch;
    private final ExemplarAreas exemplars;
    /** Store offset of each series chunk; fixed length, entries written at registration before their series. */
    private final long[] seriesChunks;
    /** Empty-family classic table: every bucket to slot 0 (for histograms registered without classic buckets). */
    private final byte[] noClassic;
    /** Odd while a read epoch is open; written only by readers, read by the writer on every histogram update. */
    @SuppressWarnings("unused")
    private volatile long readEpoch;
    // The histogram the writer is updating (writer only): its header's buffer and position.
    private AtomicBuffer hb;
    private int hp;

    private MetricStore(StoreLayout layout, HistogramLayout histogramLayout, long memoryLimit, StoreFile file) {
        this.layout = layout;
        this.histogramLayout = histogramLayout;
        this.memoryLimit = memoryLimit;
        this.segments = new StoreSegments(layout.segmentSize(), file);
        this.scratch = new EpochScratch(layout.segmentSize());
        this.header = segments.buffer(segments.offset(segments.add(), 0));
        this.metadata = new StoreArena(segments, 0, layout.headerLength());
        this.blocks = new StoreArena(segments, -1, 0);
        this.seriesChunks = new long[layout.seriesChunks()];
        this.noClassic = new byte[histogramLayout.countsLength()];
        this.exemplars = new ExemplarAreas(segments, header, blocks, layout.seriesChunks());
    }

    /**
     * Creates a store in direct memory ({@code file == null}) or in a memory-mapped file that other processes can
     * open with {@link StoreReader}. An existing file is replaced if its writer is gone, and refused if it is alive
     * ({@link StoreFile}).
     *
     * @param memoryLimit bytes of segments past which new series are refused ({@link #hasRoomForSeries()}), at
     *                    least {@link #MIN_MEMORY_LIMIT}
     * @throws IllegalStateException if {@code file} belongs to a live writer or is not a store
     */
    public static MetricStore create(StoreLayout layout, HistogramLayout histogramLayout, long memoryLimit, File file,
                                     long startEpochMillis, long pid) {
        if (memoryLimit < MIN_MEMORY_LIMIT || memoryLimit > MAX_MEMORY_LIMIT) {
            throw new IllegalArgumentException("store memory limit must be between " + MIN_MEMORY_LIMIT + " and "
                    + MAX_MEMORY_LIMIT + " bytes, got " + memoryLimit);
        }
        StoreFile storeFile = file == null ? null : StoreFile.create(file);
        try {
            MetricStore store = new MetricStore(layout, histogramLayout, memoryLimit, storeFile);
            AtomicBuffer b = store.header;
            b.putInt(VERSION_OFFSET, LAYOUT_VERSION);
            b.putInt(SEGMENT_SIZE_OFFSET, layout.segmentSize());
            b.putInt(SEGMENT_COUNT_OFFSET, store.segments.count());
            b.putInt(MAX_FAMILIES_OFFSET, layout.maxFamilies());
            b.putInt(SERIES_CHUNKS_OFFSET, layout.seriesChunks());
            b.putLong(HISTOGRAM_LOWEST_OFFSET, histogramLayout.lowestDiscernibleValue());
            b.putLong(HISTOGRAM_HIGHEST_OFFSET, histogramLayout.highestTrackableValue());
            b.putInt(HISTOGRAM_DIGITS_OFFSET, histogramLayout.significantDigits());
            b.putLong(START_TIME_OFFSET, startEpochMillis);
            b.putLong(PID_OFFSET, pid);
            b.putLong(HEARTBEAT_OFFSET, startEpochMillis);
            b.putLong(MEMORY_LIMIT_OFFSET, memoryLimit);
            b.putLong(BYTES_TAKEN_OFFSET, store.segments.bytes());
            b.putIntOrdered(STATE_OFFSET, STATE_RUNNING);
            // The magic goes last so that a reader never accepts a half-written header.
            b.putIntOrdered(MAGIC_OFFSET, MAGIC);
            if (storeFile != null) {
                storeFile.publish();
            }
            return store;
        } catch (RuntimeException | Error e) {
            if (storeFile != null) {
                storeFile.close();
            }
            throw e;
        }
    }

    public StoreLayout layout() {
        return layout;
    }

    public HistogramLayout histogramLayout() {
        return histogramLayout;
    }

    /** The memory-mapped file, or {@code null} for direct memory. */
    public File file() {
        StoreFile storeFile = segments.file();
        return storeFile == null ? null : storeFile.file();
    }

    /** Bytes the store has taken (whole segments). */
    public long bytesTaken() {
        return segments.bytes();
    }

    /** Bytes the store holds for readers' frozen histograms ({@link EpochScratch}), beside {@link #bytesTaken()}. */
    public long scratchBytes() {
        return scratch.bytes();
    }

    /** The memory limit given at creation. */
    public long memoryLimit() {
        return memoryLimit;
    }

    /**
     * Whether a new series may register: the segments taken leave the reserve free (a sixteenth of the limit, at
     * least two segments). The reserve is for what registered series may still need: their histograms' count
     * pages, and the overflow series a refused label set goes to.
     */
    public boolean hasRoomForSeries() {
        long reserve = Math.max(2L * segments.segmentSize(), memoryLimit / 16);
        return segments.bytes() + reserve <= memoryLimit;
    }

    // ------------------------------------------------------------------ registration (any thread, serialized by the registry)

    /**
     * Writes a family record; called once per family under the registry's lock.
     *
     * @param classicUpperBounds a histogram's or timer's classic bounds ({@link ClassicBuckets}), else empty
     */
    public void writeFamily(int familyIndex, int typeCode, String name, String unit, String help, List<String> labelNames,
                            double[] classicUpperBounds) {
        byte[][] text = new byte[3 + labelNames.size()][];
        text[0] = name.getBytes(StandardCharsets.UTF_8);
        text[1] = unit.getBytes(StandardCharsets.UTF_8);
        int fixed = 4 + text[0].length + 4 + text[1].length + 4;
        for (int i = 0; i < labelNames.size(); i++) {
            text[3 + i] = labelNames.get(i).getBytes(StandardCharsets.UTF_8);
            fixed += 4 + text[3 + i].length;
        }
        if (fixed > FAMILY_TEXT_LIMIT) {
            throw new IllegalArgumentException("metadata of metric '" + name + "' too long for the store record: "
                    + fixed + " bytes of name, unit and label names, at most " + FAMILY_TEXT_LIMIT);
        }
        text[2] = cut(help.getBytes(StandardCharsets.UTF_8), FAMILY_TEXT_LIMIT - fixed);
        int textBytes = fixed + text[2].length;
        int boundsAt = align(FAMILY_TEXT_OFFSET + textBytes, 8);
        int length = boundsAt + 8 * classicUpperBounds.length;
        long offset = metadata.allocate(length);
        AtomicBuffer b = segments.buffer(offset);
        int base = segments.position(offset);
        int at = base + FAMILY_TEXT_OFFSET;
        for (int i = 0; i < 3; i++) {
            at = putString(b, at, text[i]);
        }
        for (int i = 0; i < labelNames.size(); i++) {
            at = putString(b, at, text[3 + i]);
        }
        b.putInt(base + FAMILY_TYPE_OFFSET, typeCode);
        b.putInt(base + FAMILY_LABEL_COUNT_OFFSET, labelNames.size());
        b.putInt(base + FAMILY_CLASSIC_COUNT_OFFSET, classicUpperBounds.length);
        b.putInt(base + FAMILY_LENGTH_OFFSET, length);
        for (int k = 0; k < classicUpperBounds.length; k++) {
            b.putDouble(base + boundsAt + 8 * k, classicUpperBounds[k]);
        }
        b.putIntOrdered(base + FAMILY_STATE_OFFSET, RECORD_LIVE);
        header.putLongOrdered(FAMILY_DIRECTORY_OFFSET + 8 * familyIndex, offset);
        header.putIntOrdered(FAMILY_COUNT_OFFSET, familyIndex + 1);
    }

    /** {@code bytes} cut to at most {@code limit}, never in the middle of a UTF-8 sequence. */
    private static byte[] cut(byte[] bytes, int limit) {
        if (bytes.length <= limit) {
            return bytes;
        }
        int length = Math.max(0, limit);
        while (length > 0 && (bytes[length] & 0xC0) == 0x80) {
            length--;
        }
        return java.util.Arrays.copyOf(bytes, length);
    }

    /**
     * Bytes a series' label values take in its metadata record, to reject at registration what would not fit.
     */
    public static int encodedLength(List<String> labelValues) {
        int length = 0;
        for (String value : labelValues) {
            length += 4 + value.getBytes(StandardCharsets.UTF_8).length;
        }
        return length;
    }

    /** Space for label values in a series record. */
    public static int maxLabelBytes() {
        return MAX_LABEL_BYTES;
    }

    /**
     * Writes a series' records (slot, label values and, for a histogram, its header); its values start at zero.
     * Called under the registry's lock, for series ids in increasing order from 0.
     *
     * @param classic the family's classic buckets when {@code histogramIndex >= 0}, else null
     */
    public void writeSeries(int seriesId, int familyIndex, int histogramIndex, List<String> labelValues, long createdMillis,
                            ClassicBuckets classic) {
        if (seriesId >= layout.maxSeries()) {
            throw new IllegalStateException("series " + seriesId + " beyond the store's " + layout.maxSeries());
        }
        int chunk = seriesId / SERIES_PER_CHUNK;
        if (seriesChunks[chunk] == 0) {
            long chunkOffset = metadata.allocate(SERIES_CHUNK_LENGTH);
            seriesChunks[chunk] = chunkOffset;
            header.putLongOrdered(layout.seriesDirectoryOffset() + 8 * chunk, chunkOffset);
        }
        int labelBytes = 4 + encodedLength(labelValues);
        long labels = metadata.allocate(labelBytes);
        AtomicBuffer lb = segments.buffer(labels);
        int at = segments.position(labels);
        lb.putInt(at, labelValues.size());
        at += 4;
        for (String value : labelValues) {
            at = putString(lb, at, value.getBytes(StandardCharsets.UTF_8));
        }
        long histogramHeader = 0;
        if (histogramIndex >= 0) {
            int bounds = classic == null ? 0 : classic.boundCount();
            histogramHeader = metadata.allocate(histogramHeaderLength(bounds));
            segments.buffer(histogramHeader).putInt(segments.position(histogramHeader) + HISTOGRAM_CLASSIC_COUNT_OFFSET,
                    bounds);
            // No writer touches the histogram before its handle exists: see HistogramSlots for how this reaches it.
            histograms.register(histogramIndex, histogramHeader, classic == null ? noClassic : classic.slotByIndex());
        }
        long slot = slotOffset(seriesId);
        AtomicBuffer b = segments.buffer(slot);
        int base = segments.position(slot);
        b.putInt(base + SERIES_FAMILY_OFFSET, familyIndex);
        b.putLong(base + SERIES_LABELS_OFFSET, labels);
        b.putLong(base + SERIES_CREATED_OFFSET, createdMillis);
        b.putLong(base + SERIES_HISTOGRAM_OFFSET, histogramHeader);
        b.putIntOrdered(base + SERIES_STATE_OFFSET, RECORD_LIVE);
        header.putIntOrdered(SERIES_COUNT_OFFSET, seriesId + 1);
        if (histogramIndex >= 0) {
            header.putIntOrdered(HISTOGRAM_COUNT_OFFSET, histogramIndex + 1);
        }
    }

    /**
     * Writes an exemplar labels record (int count, then name and value strings) for records to point at; called
     * under the registry's lock. Never freed: the caller keeps one record per distinct label set.
     *
     * @return its store offset
     */
    public long writeExemplarLabels(java.util.Map<String, String> labels) {
        if (labels.size() > ExemplarAreas.MAX_LABEL_PAIRS) {
            throw new IllegalArgumentException("at most " + ExemplarAreas.MAX_LABEL_PAIRS + " exemplar labels, got "
                    + labels.size());
        }
        int length = 4;
        for (java.util.Map.Entry<String, String> e : labels.entrySet()) {
            length += 8 + e.getKey().getBytes(StandardCharsets.UTF_8).length
                    + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        long offset = metadata.allocate(length);
        AtomicBuffer b = segments.buffer(offset);
        int at = segments.position(offset);
        b.putInt(at, labels.size());
        at += 4;
        for (java.util.Map.Entry<String, String> e : labels.entrySet()) {
            at = putString(b, at, e.getKey().getBytes(StandardCharsets.UTF_8));
            at = putString(b, at, e.getValue().getBytes(StandardCharsets.UTF_8));
        }
        return offset;
    }

    private static int putString(AtomicBuffer b, int at, byte[] bytes) {
        b.putInt(at, bytes.length);
        b.putBytes(at + 4, bytes);
        return at + 4 + bytes.length;
    }

    private long slotOffset(int seriesId) {
        return seriesChunks[seriesId / SERIES_PER_CHUNK] + (long) (seriesId % SERIES_PER_CHUNK) * SERIES_SLOT_LENGTH;
    }

    private AtomicBuffer slotBuffer(int seriesId) {
        return segments.buffer(slotOffset(seriesId));
    }

    private int slotPosition(int seriesId) {
        return segments.position(slotOffset(seriesId));
    }

    // ------------------------------------------------------------------ writer (the aggregator thread only)

    /**
     * Adds to a counter. {@code delta} is unsigned: a thread's cell may have grown by more than
     * {@code Long.MAX_VALUE} since the last sweep ({@code add(Long.MAX_VALUE)} twice), and such a delta arrives
     * negative. A counter never wraps: whenever the integer part would pass {@code Long.MAX_VALUE}, 2^63 is carried
     * into the double part, so the total keeps growing (as a double, as every Prometheus or OpenTelemetry counter
     * is) and the integer part stays exact below 2^63.
     */
    public void counterAdd(int seriesId, long delta) {
        AtomicBuffer b = slotBuffer(seriesId);
        int base = slotPosition(seriesId);
        long integer = b.getLong(base + VALUE_LONG_OFFSET);
        double carried = 0;
        if (delta < 0) {
            carried += CARRY;
            delta += Long.MIN_VALUE;
        }
        long sum = integer + delta;
        if (sum < 0) {
            carried += CARRY;
            sum += Long.MIN_VALUE;
        }
        if (carried != 0) {
            // The double part first: a reader takes it before and after the integer part (counterValue), and retries
            // when it moved, so it never pairs the smaller integer part with the double part from before the carry.
            int at = base + VALUE_DOUBLE_OFFSET;
            b.putLongOrdered(at, Double.doubleToRawLongBits(Double.longBitsToDouble(b.getLong(at)) + carried));
        }
        b.putLongOrdered(base + VALUE_LONG_OFFSET, sum);
    }

    /** Sets a counter's integer part to a running total kept elsewhere (self-metrics); totals only grow. */
    public void counterSet(int seriesId, long total) {
        slotBuffer(seriesId).putLongOrdered(slotPosition(seriesId) + VALUE_LONG_OFFSET, total);
    }

    /** Adds to a counter's fractional part (kept apart so integer increments stay exact beyond 2^53). */
    public void counterAddDouble(int seriesId, double delta) {
        AtomicBuffer b = slotBuffer(seriesId);
        int at = slotPosition(seriesId) + VALUE_DOUBLE_OFFSET;
        b.putLongOrdered(at, Double.doubleToRawLongBits(Double.longBitsToDouble(b.getLong(at)) + delta));
    }

    /** Sets a gauge. */
    public void gaugeSet(int seriesId, double value) {
        slotBuffer(seriesId).putLongOrdered(slotPosition(seriesId) + VALUE_LONG_OFFSET, Double.doubleToRawLongBits(value));
    }

    /** Adds to a gauge. */
    public void gaugeAdd(int seriesId, double delta) {
        AtomicBuffer b = slotBuffer(seriesId);
        int at = slotPosition(seriesId) + VALUE_LONG_OFFSET;
        b.putLongOrdered(at, Double.doubleToRawLongBits(Double.longBitsToDouble(b.getLong(at)) + delta));
    }

    /** Counts an applied update and stamps its time (the time the aggregator read once per batch). */
    public void touch(int seriesId, long nowMillis) {
        AtomicBuffer b = slotBuffer(seriesId);
        int base = slotPosition(seriesId);
        b.putLongOrdered(base + VALUE_UPDATES_OFFSET, b.getLong(base + VALUE_UPDATES_OFFSET) + 1);
        b.putLongOrdered(base + VALUE_LAST_UPDATE_OFFSET, nowMillis);
    }

    /** Writes the heartbeat, so that readers in other processes can tell a live writer from a dead one. */
    public void heartbeat(long nowMillis) {
        header.putLongOrdered(HEARTBEAT_OFFSET, nowMillis);
    }

    /**
     * Marks the store closed for readers in other processes, writes a file store's pages to the file and releases
     * its lock: another engine may now replace the file. The store stays readable.
     */
    public void markClosed() {
        header.putIntOrdered(STATE_OFFSET, STATE_CLOSED);
        StoreFile storeFile = segments.file();
        if (storeFile != null) {
            for (int i = 0; i < segments.count(); i++) {
                ByteBuffer mapped = segments.buffer(segments.offset(i, 0)).byteBuffer();
                if (mapped instanceof MappedByteBuffer) {
                    ((MappedByteBuffer) mapped).force();
                }
            }
            storeFile.close();
        }
    }

    /**
     * Offers an exemplar to series {@code seriesId} ({@link ExemplarAreas}): a histogram's or timer's when
     * {@code histogramIndex >= 0} (its value within the layout's range), else a counter's (its value a double's
     * bits). A slot keeps its exemplar for at least {@code minRetentionMillis}.
     *
     * @return whether a slot took it
     */
    public boolean offerExemplar(int seriesId, int histogramIndex, long value, long traceHigh, long traceLow,
                                 long spanId, long timestampMillis, long labels, long minRetentionMillis) {
        int classicSlots = 0;
        int classicSlot = 0;
        if (histogramIndex >= 0) {
            long offset = histograms.header(histogramIndex);
            classicSlots = segments.buffer(offset).getInt(segments.position(offset) + HISTOGRAM_CLASSIC_COUNT_OFFSET)
                    + 1;
            classicSlot = histograms.classicSlots(histogramIndex)[histogramLayout.indexOf(value)];
        }
        return exemplars.offer(seriesId, classicSlots, classicSlot, value, traceHigh, traceLow, spanId,
                timestampMillis, labels, minRetentionMillis);
    }

    /**
     * Records {@code count} occurrences of {@code value} in histogram {@code histogramIndex}. The value must already
     * be within the layout's range (the aggregator clamps and counts what is not).
     */
    public void histogramRecord(int histogramIndex, long value, long count) {
        beginHistogramUpdate(histogramIndex);
        int index = histogramLayout.indexOf(value);
        ensureTable(index / PAGE_BUCKETS, index / PAGE_BUCKETS);
        addToBucket(histogramIndex, index, count);
        addTotals(count, value * count, value, value, index, index);
        endHistogramUpdate();
    }

    /**
     * Applies counts accumulated elsewhere (a recording thread's histogram cell) to histogram
     * {@code delta.histogramIndex()} in one update: readers see all of it or none of it. The delta's lowest and
     * highest value are kept within its lowest and highest bucket.
     */
    public void histogramAdd(HistogramDelta delta) {
        int histogramIndex = delta.histogramIndex();
        beginHistogramUpdate(histogramIndex);
        long count = 0;
        int low = Integer.MAX_VALUE;
        int high = -1;
        for (int i = 0, n = delta.size(); i < n; i++) {
            low = Math.min(low, delta.bucket(i));
            high = Math.max(high, delta.bucket(i));
        }
        if (high >= 0) {
            ensureTable(low / PAGE_BUCKETS, high / PAGE_BUCKETS);
        }
        for (int i = 0, n = delta.size(); i < n; i++) {
            long added = delta.count(i);
            addToBucket(histogramIndex, delta.bucket(i), added);
            count += added;
        }
        long min = delta.min();
        long max = delta.max();
        if (count > 0) {
            // A cell's lowest or highest value may belong to a record whose bucket the delta does not hold yet: keep
            // them within the buckets, at bucket resolution until that bucket arrives.
            min = Math.max(min, histogramLayout.valueAt(low));
            max = Math.min(max, histogramLayout.highestValueAt(high));
        }
        addTotals(count, delta.sum(), min, max, low, high);
        endHistogramUpdate();
    }

    /**
     * Opens an update of one histogram: freezes it in the scratch first if a read epoch is open and this is its first
     * update in that epoch, then makes its version odd.
     */
    private void beginHistogramUpdate(int histogramIndex) {
        long offset = histograms.header(histogramIndex);
        hb = segments.buffer(offset);
        hp = segments.position(offset);
        long epoch = (long) EPOCH.getVolatile(this);
        if ((epoch & 1L) != 0 && histograms.copiedEpoch(histogramIndex) != epoch) {
            freeze(histogramIndex, epoch);
        }
        hb.putLongOrdered(hp, hb.getLong(hp) + 1);
        // The data stores that follow must not become visible before the odd version.
        VarHandle.storeStoreFence();
    }

    private void endHistogramUpdate() {
        hb.putLongOrdered(hp, hb.getLong(hp) + 1);
    }

    /**
     * Makes the page table cover pages {@code lowPage} to {@code highPage}: takes a first table, or moves the entries
     * to a larger one, grown by whole groups of {@value StoreLayout#TABLE_GROUP} entries on the side that grew.
     */
    private void ensureTable(int lowPage, int highPage) {
        long table = hb.getLong(hp + HISTOGRAM_TABLE_OFFSET);
        int first = hb.getInt(hp + HISTOGRAM_FIRST_PAGE_OFFSET);
        int length = hb.getInt(hp + HISTOGRAM_TABLE_LENGTH_OFFSET);
        if (table != 0 && lowPage >= first && highPage < first + length) {
            return;
        }
        int from = table == 0 ? lowPage : Math.min(first, lowPage);
        int to = table == 0 ? highPage + 1 : Math.max(first + length, highPage + 1);
        int newLength = align(to - from, TABLE_GROUP);
        int newFirst = table != 0 && lowPage < first ? Math.max(0, to - newLength) : from;
        long fresh = blocks.allocate(4 * newLength);
        if (table != 0) {
            segments.buffer(fresh).putBytes(segments.position(fresh) + 4 * (first - newFirst), segments.buffer(table),
                    segments.position(table), 4 * length);
        }
        hb.putLong(hp + HISTOGRAM_TABLE_OFFSET, fresh);
        hb.putInt(hp + HISTOGRAM_FIRST_PAGE_OFFSET, newFirst);
        hb.putInt(hp + HISTOGRAM_TABLE_LENGTH_OFFSET, newLength);
        if (table != 0) {
            // A reader still reading the old table fails its version check (this update bumped the version), so
            // another histogram may take it right away.
            blocks.free(table, 4 * length);
        }
    }

    /**
     * Adds to one HDR bucket (its page within the table) and to the classic bucket it falls in, inside the record's
     * odd version: takes the page if it is new, and moves it to a wider one first if the count would not fit.
     */
    private void addToBucket(int histogramIndex, int index, long count) {
        long table = hb.getLong(hp + HISTOGRAM_TABLE_OFFSET);
        AtomicBuffer tb = segments.buffer(table);
        int entryAt = segments.position(table)
                + 4 * (index / PAGE_BUCKETS - hb.getInt(hp + HISTOGRAM_FIRST_PAGE_OFFSET));
        int entry = tb.getInt(entryAt);
        if (entry == 0) {
            entry = CountPages.entry(blocks.allocate(PAGE_BUCKETS), 1);
            tb.putInt(entryAt, entry);
        }
        int width = CountPages.width(entry);
        long page = CountPages.offset(entry);
        int slot = index % PAGE_BUCKETS;
        AtomicBuffer pb = segments.buffer(page);
        long sum = PackedCounts.get(pb, segments.position(page) + slot * width, width) + count;
        if (sum < 0) {
            // 2^63 values in one bucket: beyond any recording rate; keep the largest count rather than wrap.
            sum = Long.MAX_VALUE;
        }
        if (sum > PackedCounts.maxCount(width)) {
            int wider = Math.max(PackedCounts.widthFor(sum), 2 * width);
            long widened = blocks.allocate(PAGE_BUCKETS * wider);
            AtomicBuffer to = segments.buffer(widened);
            int toAt = segments.position(widened);
            int fromAt = segments.position(page);
            for (int i = 0; i < PAGE_BUCKETS; i++) {
                PackedCounts.put(to, toAt + i * wider, wider, PackedCounts.get(pb, fromAt + i * width, width));
            }
            tb.putInt(entryAt, CountPages.entry(widened, wider));
            blocks.free(page, PAGE_BUCKETS * width);
            width = wider;
            page = widened;
            pb = to;
        }
        PackedCounts.put(pb, segments.position(page) + slot * width, width, sum);
        int classicAt = hp + HISTOGRAM_CLASSIC_OFFSET + 8 * histograms.classicSlots(histogramIndex)[index];
        hb.putLong(classicAt, hb.getLong(classicAt) + count);
    }

    /**
     * Adds {@code count} values summing to {@code sum}, between {@code min} and {@code max}, in buckets
     * {@code lowIndex} to {@code highIndex}, to the record's totals. {@code count} may be 0 with a non-zero sum: a
     * cell's sum can run ahead of the buckets already taken from it.
     */
    private void addTotals(long count, long sum, long min, long max, int lowIndex, int highIndex) {
        long total = hb.getLong(hp + HISTOGRAM_COUNT_FIELD_OFFSET);
        if (count > 0) {
            if (total == 0) {
                hb.putLong(hp + HISTOGRAM_MIN_OFFSET, min);
                hb.putLong(hp + HISTOGRAM_MAX_OFFSET, max);
                hb.putInt(hp + HISTOGRAM_LOW_INDEX_OFFSET, lowIndex);
                hb.putInt(hp + HISTOGRAM_HIGH_INDEX_OFFSET, highIndex);
            } else {
                if (min < hb.getLong(hp + HISTOGRAM_MIN_OFFSET)) {
                    hb.putLong(hp + HISTOGRAM_MIN_OFFSET, min);
                }
                if (max > hb.getLong(hp + HISTOGRAM_MAX_OFFSET)) {
                    hb.putLong(hp + HISTOGRAM_MAX_OFFSET, max);
                }
                if (lowIndex < hb.getInt(hp + HISTOGRAM_LOW_INDEX_OFFSET)) {
                    hb.putInt(hp + HISTOGRAM_LOW_INDEX_OFFSET, lowIndex);
                }
                if (highIndex > hb.getInt(hp + HISTOGRAM_HIGH_INDEX_OFFSET)) {
                    hb.putInt(hp + HISTOGRAM_HIGH_INDEX_OFFSET, highIndex);
                }
            }
            hb.putLong(hp + HISTOGRAM_COUNT_FIELD_OFFSET, total + count);
        }
        hb.putLong(hp + HISTOGRAM_SUM_OFFSET, hb.getLong(hp + HISTOGRAM_SUM_OFFSET) + sum);
    }

    /**
     * Copies histogram {@code histogramIndex} into the scratch for read epoch {@code epoch}, for readers to find it
     * there from now on: its header, then its counts from the lowest to the highest bucket in one run, in the widest
     * width of its pages. The copy's table offset is {@link #FROZEN}, its first-page and table-length fields hold the
     * first bucket and the number of buckets, and its width field the width.
     */
    private void freeze(int histogramIndex, long epoch) {
        int headerLength = histogramHeaderLength(hb.getInt(hp + HISTOGRAM_CLASSIC_COUNT_OFFSET));
        long count = hb.getLong(hp + HISTOGRAM_COUNT_FIELD_OFFSET);
        int low = hb.getInt(hp + HISTOGRAM_LOW_INDEX_OFFSET);
        int high = hb.getInt(hp + HISTOGRAM_HIGH_INDEX_OFFSET);
        int buckets = count == 0 ? 0 : high - low + 1;
        long table = hb.getLong(hp + HISTOGRAM_TABLE_OFFSET);
        AtomicBuffer tb = buckets == 0 ? null : segments.buffer(table);
        int entries = buckets == 0 ? 0 : segments.position(table)
                + 4 * (low / PAGE_BUCKETS - hb.getInt(hp + HISTOGRAM_FIRST_PAGE_OFFSET));
        int width = 1;
        for (int page = low / PAGE_BUCKETS; buckets > 0 && page <= high / PAGE_BUCKETS; page++) {
            int entry = tb.getInt(entries + 4 * (page - low / PAGE_BUCKETS));
            if (entry != 0) {
                width = Math.max(width, CountPages.width(entry));
            }
        }
        long at = scratch.allocate(epoch, headerLength + buckets * width);
        AtomicBuffer sb = scratch.buffer(at);
        int sp = EpochScratch.position(at);
        // The header takes the classic counts along: a frozen reader sees them as of the same instant as the buckets.
        sb.putBytes(sp, hb, hp, headerLength);
        sb.putLong(sp + HISTOGRAM_TABLE_OFFSET, FROZEN);
        sb.putInt(sp + HISTOGRAM_FIRST_PAGE_OFFSET, low);
        sb.putInt(sp + HISTOGRAM_TABLE_LENGTH_OFFSET, buckets);
        sb.putInt(sp + HISTOGRAM_FROZEN_WIDTH_OFFSET, width);
        int counts = sp + headerLength;
        for (int index = low; index < low + buckets; index++) {
            int entry = tb.getInt(entries + 4 * (index / PAGE_BUCKETS - low / PAGE_BUCKETS));
            long value = 0;
            if (entry != 0) {
                long page = CountPages.offset(entry);
                int pageWidth = CountPages.width(entry);
                value = PackedCounts.get(segments.buffer(page),
                        segments.position(page) + (index % PAGE_BUCKETS) * pageWidth, pageWidth);
            }
            PackedCounts.put(sb, counts + (index - low) * width, width, value);
        }
        histograms.frozen(histogramIndex, epoch, at);
    }

    // ------------------------------------------------------------------ readers (any thread)

    /** Number of series whose metadata is complete. */
    public int seriesCount() {
        return header.getIntVolatile(SERIES_COUNT_OFFSET);
    }

    /**
     * A counter's total: its integer part plus its double part (fractional increments and carries), read as one
     * pair.
     */
    public double counterValue(int seriesId) {
        return counterValue(slotBuffer(seriesId), slotPosition(seriesId));
    }

    /**
     * A counter's integer part: the sum of its integer increments, exact below 2^63; {@code Long.MAX_VALUE} once the
     * total has passed it (the rest is carried into the double part, {@link #counterValue}).
     */
    public long counterLongValue(int seriesId) {
        return counterLongValue(slotBuffer(seriesId), slotPosition(seriesId));
    }

    /**
     * A counter's double part (fractional increments, and what its integer part carried past
     * {@code Long.MAX_VALUE}). To pair it with {@link #counterIntegerPart}, read it before and after that and retry
     * if it moved: the writer updates it before the integer part.
     */
    public double counterDoublePart(int seriesId) {
        return Double.longBitsToDouble(slotBuffer(seriesId).getLongVolatile(slotPosition(seriesId) + VALUE_DOUBLE_OFFSET));
    }

    /** A counter's integer part as stored (see {@link #counterDoublePart}). */
    public long counterIntegerPart(int seriesId) {
        return slotBuffer(seriesId).getLongVolatile(slotPosition(seriesId) + VALUE_LONG_OFFSET);
    }

    /** {@link #counterValue(int)} of the series slot at {@code base} of {@code from}. */
    static double counterValue(AtomicBuffer from, int base) {
        while (true) {
            long before = from.getLongVolatile(base + VALUE_DOUBLE_OFFSET);
            long integer = from.getLongVolatile(base + VALUE_LONG_OFFSET);
            if (from.getLongVolatile(base + VALUE_DOUBLE_OFFSET) == before) {
                return integer + Double.longBitsToDouble(before);
            }
        }
    }

    /** {@link #counterLongValue(int)} of the series slot at {@code base} of {@code from}. */
    static long counterLongValue(AtomicBuffer from, int base) {
        while (true) {
            long before = from.getLongVolatile(base + VALUE_DOUBLE_OFFSET);
            long integer = from.getLongVolatile(base + VALUE_LONG_OFFSET);
            if (from.getLongVolatile(base + VALUE_DOUBLE_OFFSET) == before) {
                return saturatedIntegerPart(integer, Double.longBitsToDouble(before));
            }
        }
    }

    /** The integer part a reader reports: {@code Long.MAX_VALUE} once a carry moved the total past it. */
    public static long saturatedIntegerPart(long integerPart, double doublePart) {
        return doublePart >= CARRY ? Long.MAX_VALUE : integerPart;
    }

    /** A gauge's value. */
    public double gaugeValue(int seriesId) {
        return Double.longBitsToDouble(slotBuffer(seriesId).getLongVolatile(slotPosition(seriesId) + VALUE_LONG_OFFSET));
    }

    /** Updates applied to a series so far. */
    public long updates(int seriesId) {
        return slotBuffer(seriesId).getLongVolatile(slotPosition(seriesId) + VALUE_UPDATES_OFFSET);
    }

    /** Time of the last update applied to a series, epoch millis, or 0 if none. */
    public long lastUpdateMillis(int seriesId) {
        return slotBuffer(seriesId).getLongVolatile(slotPosition(seriesId) + VALUE_LAST_UPDATE_OFFSET);
    }

    /**
     * The exemplars series {@code seriesId} holds now, from any thread (empty when it has none). Exemplars are
     * read under their own seqlock, not the read epoch: they are samples, not totals that must add up.
     */
    public java.util.List<io.streammetrics.exemplar.Exemplar> exemplars(int seriesId, boolean counter) {
        return ExemplarAreas.read(segments, header, layout.seriesChunks(), seriesId, counter);
    }

    /** Opens a read epoch; the caller must hold the readers' lock and call {@link #endRead()}. */
    public long beginRead() {
        long next = ((long) EPOCH.getVolatile(this) | 1L) + 2L;
        EPOCH.setVolatile(this, next);
        return next;
    }

    /** Closes the read epoch opened by {@link #beginRead()}. */
    public void endRead() {
        EPOCH.setVolatile(this, (long) EPOCH.getVolatile(this) + 1L);
    }

    /**
     * Reads one histogram consistently within the open read epoch: {@code out} receives count, sum, min, max and the
     * counts from the lowest to the highest non-zero bucket, whose sum equals the count.
     */
    public void readHistogram(int histogramIndex, long epoch, HistogramReading out) {
        read(histogramIndex, epoch, out, null);
    }

    /**
     * Reads one histogram's count, sum and classic bucket counts consistently within the open read epoch, without
     * its HDR buckets: the classic counts add up to the count, and are the HDR buckets of the same state mapped
     * through the family's {@link ClassicBuckets}. (Two reads of one histogram in one epoch, whether
     * {@link #readHistogram} or this, may differ by the one update in flight when the epoch opened.)
     */
    public void readClassic(int histogramIndex, long epoch, ClassicReading out) {
        read(histogramIndex, epoch, null, out);
    }

    /**
     * {@link #readHistogram} and {@link #readClassic} in one read: {@code buckets} and {@code classic} then hold the
     * same state (the classic counts are its HDR buckets mapped through the family's {@link ClassicBuckets}), which
     * two separate reads do not promise. For readers that export both representations of a histogram side by side.
     */
    public void readHistogram(int histogramIndex, long epoch, HistogramReading buckets, ClassicReading classic) {
        read(histogramIndex, epoch, Objects.requireNonNull(buckets, "buckets"),
                Objects.requireNonNull(classic, "classic"));
    }

    /**
     * The epoch protocol shared by both reads: fills whichever of {@code buckets} and {@code classic} is non-null,
     * both from the same state when both are.
     */
    void read(int histogramIndex, long epoch, HistogramReading buckets, ClassicReading classic) {
        long offset = histograms.header(histogramIndex);
        AtomicBuffer b = segments.buffer(offset);
        int base = segments.position(offset);
        for (int attempt = 1; ; attempt++) {
            // The version must be read before the frozen check: the writer marks the histogram frozen (release)
            // before it bumps the version of its first write in this epoch, so a version read ahead of a check that
            // finds no mark predates that write, and the in-place read validated against it is the state the epoch
            // opened with. Checking first would let the writer freeze, mark and update in between, and the in-place
            // read would then return a state written during the epoch.
            long before = b.getLongVolatile(base);
            if (histograms.copiedEpoch(histogramIndex) == epoch) {
                long at = histograms.scratchAt(histogramIndex);
                readRecord(scratch.buffer(at), EpochScratch.position(at), null, buckets, classic);
                return;
            }
            if ((before & 1L) == 0) {
                boolean valid = readRecord(b, base, segments, buckets, classic);
                VarHandle.acquireFence();
                if (valid && b.getLongVolatile(base) == before) {
                    return;
                }
            }
            // Only an update in flight when the epoch opened can make us retry; if the writer was descheduled in
            // the middle of it, stop burning the core it needs.
            if (attempt < 100) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /**
     * Reads the histogram whose header is at {@code headerAt} of {@code header} into whichever of {@code buckets} and
     * {@code classic} is non-null: its pages found through {@code segments}, or, for a frozen copy
     * ({@code segments == null}), its counts right after the header. Every field, table entry and page is checked
     * before it is used: a header read in the middle of an update (or from a damaged file) makes this return false,
     * never read outside the buffers. The caller validates the version.
     */
    static boolean readRecord(AtomicBuffer header, int headerAt, SegmentView segments, HistogramReading buckets,
                              ClassicReading classic) {
        int bounds = header.getInt(headerAt + HISTOGRAM_CLASSIC_COUNT_OFFSET);
        if (bounds < 0 || bounds >= HISTOGRAM_CLASSIC_SLOTS
                || (long) headerAt + histogramHeaderLength(bounds) > header.capacity()) {
            return false;
        }
        long count = header.getLong(headerAt + HISTOGRAM_COUNT_FIELD_OFFSET);
        long sum = header.getLong(headerAt + HISTOGRAM_SUM_OFFSET);
        if (count < 0) {
            return false;
        }
        if (classic != null) {
            long[] slots = classic.counts();
            for (int k = 0; k <= bounds; k++) {
                slots[k] = header.getLong(headerAt + HISTOGRAM_CLASSIC_OFFSET + 8 * k);
            }
            classic.set(count, sum, bounds);
        }
        if (buckets == null) {
            return true;
        }
        if (count == 0) {
            buckets.set(0, 0, 0, 0, 0, -1);
            return true;
        }
        int low = header.getInt(headerAt + HISTOGRAM_LOW_INDEX_OFFSET);
        int high = header.getInt(headerAt + HISTOGRAM_HIGH_INDEX_OFFSET);
        if (low < 0 || high < low || high - low >= buckets.capacity()) {
            return false;
        }
        boolean read = segments == null
                ? readFrozen(header, headerAt, histogramHeaderLength(bounds), low, high, buckets.counts())
                : CountPages.copyOut(header, headerAt, segments, low, high, buckets.counts());
        if (!read) {
            return false;
        }
        buckets.set(count, sum, header.getLong(headerAt + HISTOGRAM_MIN_OFFSET),
                header.getLong(headerAt + HISTOGRAM_MAX_OFFSET), low, high);
        return true;
    }

    private static boolean readFrozen(AtomicBuffer b, int at, int headerLength, int low, int high, long[] out) {
        int first = b.getInt(at + HISTOGRAM_FIRST_PAGE_OFFSET);
        int length = b.getInt(at + HISTOGRAM_TABLE_LENGTH_OFFSET);
        int width = b.getInt(at + HISTOGRAM_FROZEN_WIDTH_OFFSET);
        if (first != low || length != high - low + 1 || !PackedCounts.isWidth(width)
                || (long) at + headerLength + (long) length * width > b.capacity()) {
            return false;
        }
        PackedCounts.copyOut(b, at + headerLength, width, length, out, 0);
        return true;
    }
}
