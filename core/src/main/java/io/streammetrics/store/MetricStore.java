package io.streammetrics.store;

import org.agrona.BufferUtil;
import org.agrona.IoUtil;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import static io.streammetrics.store.StoreLayout.*;

/**
 * The off-heap store of every series: metadata written at registration, values written by exactly one thread (the
 * aggregator), read by any thread without stopping that writer. Layout: {@link StoreLayout}.
 *
 * <h2>Consistent histogram reads</h2>
 * A hot histogram can be written every few nanoseconds while copying its buckets takes microseconds, so a plain
 * seqlock would starve readers. Readers instead open a <em>read epoch</em> ({@link #beginRead()}); during an open epoch
 * the writer copies a histogram into its shadow record before the first update it applies to it in that epoch
 * (copy-on-first-write). A reader therefore finds every histogram either untouched since the epoch opened (read in
 * place, validated by the record's seqlock version) or frozen in its shadow. The writer copies each histogram at
 * most once per epoch and never waits; readers never retry more than the one update that was in flight when the
 * epoch opened. Reads are serialized by the caller (one epoch open at a time).
 *
 * <h2>Classic buckets</h2>
 * Every histogram record also keeps the counts of its family's classic {@code le} buckets ({@link ClassicBuckets}),
 * updated with the HDR buckets inside the same seqlock version and copied with them into the shadow, so a reader
 * that wants only count, sum and classic counts ({@link #readClassic}) reads a few dozen longs instead of the whole
 * occupied HDR range, and sees them consistent with each other as {@link #readHistogram} sees the buckets.
 *
 * <p>Counters and gauges are single 8-byte words, read atomically; a counter never goes backwards because the writer
 * only ever adds to it.
 */
public final class MetricStore {
    /** Type codes written into family records. */
    public static final int TYPE_COUNTER = 1;
    public static final int TYPE_GAUGE = 2;
    public static final int TYPE_HISTOGRAM = 3;
    public static final int TYPE_TIMER = 4;

    private static final VarHandle EPOCH;
    /** What a counter's integer part carries into its double part when it would pass {@code Long.MAX_VALUE}. */
    private static final double CARRY = 0x1p63;
    private static final long LONG_ARRAY_BASE = UnsafeApi.arrayBaseOffset(long[].class);

    static {
        try {
            EPOCH = MethodHandles.lookup().findVarHandle(MetricStore.class, "readEpoch", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final StoreLayout layout;
    private final HistogramLayout histogramLayout;
    private final AtomicBuffer buffer;
    private final MappedByteBuffer mapped;
    private final AtomicBuffer shadow;
    private final AtomicBuffer copiedEpochs;
    private final File file;
    /**
     * Per histogram index, the classic bucket of each HDR bucket ({@link ClassicBuckets}), the family's shared
     * table. Set at registration (writeSeries) before the series' handle exists, and never changed: the handle
     * reaches a recording thread only after registration returns, and the ring's release (publish) / acquire
     * (drain) hands each of its events to the aggregator, so the aggregator's plain read sees the table. Indexes
     * never registered hold a table that maps every bucket to slot 0 (no bounds), for stores driven directly.
     */
    private final byte[][] classicSlots;
    /** Odd while a read epoch is open; written only by readers, read by the writer on every histogram update. */
    @SuppressWarnings("unused")
    private volatile long readEpoch;

    private MetricStore(StoreLayout layout, HistogramLayout histogramLayout, File file) {
        this.layout = layout;
        this.histogramLayout = histogramLayout;
        this.file = file;
        long total = layout.totalLength();
        if (total > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("store of " + total + " bytes exceeds 2 GiB: lower maxSeries ("
                    + layout.maxSeries() + ") or maxHistograms (" + layout.maxHistograms() + ")");
        }
        if (file != null) {
            this.mapped = IoUtil.mapNewFile(file, total, true);
            this.buffer = new UnsafeBuffer(mapped);
        } else {
            this.mapped = null;
            this.buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned((int) total, 64));
        }
        long shadowLength = layout.maxHistograms() * layout.histogramRecordLength();
        this.shadow = new UnsafeBuffer(ByteBuffer.allocateDirect((int) Math.max(shadowLength, 8)));
        this.copiedEpochs = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.max(8 * layout.maxHistograms(), 8)));
        this.classicSlots = new byte[layout.maxHistograms()][];
        Arrays.fill(classicSlots, new byte[histogramLayout.countsLength()]);
    }

    /**
     * Creates a store in anonymous direct memory ({@code file == null}) or in a new memory-mapped file that other
     * processes can open with {@link StoreReader}.
     */
    public static MetricStore create(StoreLayout layout, HistogramLayout histogramLayout, File file,
                                     long startEpochMillis, long pid) {
        MetricStore store = new MetricStore(layout, histogramLayout, file);
        AtomicBuffer b = store.buffer;
        b.putInt(VERSION_OFFSET, LAYOUT_VERSION);
        b.putInt(MAX_FAMILIES_OFFSET, layout.maxFamilies());
        b.putInt(MAX_SERIES_OFFSET, layout.maxSeries());
        b.putInt(MAX_HISTOGRAMS_OFFSET, layout.maxHistograms());
        b.putInt(COUNTS_LENGTH_OFFSET, layout.countsLength());
        b.putLong(HISTOGRAM_LOWEST_OFFSET, histogramLayout.lowestDiscernibleValue());
        b.putLong(HISTOGRAM_HIGHEST_OFFSET, histogramLayout.highestTrackableValue());
        b.putInt(HISTOGRAM_DIGITS_OFFSET, histogramLayout.significantDigits());
        b.putLong(START_TIME_OFFSET, startEpochMillis);
        b.putLong(PID_OFFSET, pid);
        b.putLong(HEARTBEAT_OFFSET, startEpochMillis);
        b.putIntOrdered(STATE_OFFSET, STATE_RUNNING);
        // The magic goes last so that a reader never accepts a half-written header.
        b.putIntOrdered(MAGIC_OFFSET, MAGIC);
        return store;
    }

    public StoreLayout layout() {
        return layout;
    }

    public HistogramLayout histogramLayout() {
        return histogramLayout;
    }

    /** The memory-mapped file, or {@code null} for anonymous memory. */
    public File file() {
        return file;
    }

    // ------------------------------------------------------------------ registration (any thread, serialized by the registry)

    /**
     * Writes a family record; called once per family under the registry's lock.
     *
     * @param classicUpperBounds a histogram's or timer's classic bounds ({@link ClassicBuckets}), else empty
     */
    public void writeFamily(int familyIndex, int typeCode, String name, String unit, String help, List<String> labelNames,
                            double[] classicUpperBounds) {
        int base = (int) layout.familyOffset(familyIndex);
        int end = base + FAMILY_CLASSIC_BOUNDS_OFFSET;
        int at = base + FAMILY_TEXT_OFFSET;
        at = putString(at, end, name, true);
        at = putString(at, end, unit, true);
        int reserve = 0;
        for (String labelName : labelNames) {
            reserve += 4 + labelName.getBytes(StandardCharsets.UTF_8).length;
        }
        at = putString(at, end - reserve, help, false);
        for (String labelName : labelNames) {
            at = putString(at, end, labelName, true);
        }
        buffer.putInt(base + FAMILY_TYPE_OFFSET, typeCode);
        buffer.putInt(base + FAMILY_LABEL_COUNT_OFFSET, labelNames.size());
        buffer.putInt(base + FAMILY_CLASSIC_COUNT_OFFSET, classicUpperBounds.length);
        for (int k = 0; k < classicUpperBounds.length; k++) {
            buffer.putDouble(base + FAMILY_CLASSIC_BOUNDS_OFFSET + 8 * k, classicUpperBounds[k]);
        }
        buffer.putIntOrdered(base + FAMILY_STATE_OFFSET, RECORD_LIVE);
        buffer.putIntOrdered(FAMILY_COUNT_OFFSET, familyIndex + 1);
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
        return SERIES_RECORD_LENGTH - SERIES_TEXT_OFFSET;
    }

    /**
     * Writes a series metadata record; its values start at zero. Called under the registry's lock.
     *
     * @param classic the family's classic buckets when {@code histogramIndex >= 0}, else null
     */
    public void writeSeries(int seriesId, int familyIndex, int histogramIndex, List<String> labelValues, long createdMillis,
                            ClassicBuckets classic) {
        int base = (int) layout.seriesOffset(seriesId);
        int end = base + SERIES_RECORD_LENGTH;
        int at = base + SERIES_TEXT_OFFSET;
        for (String value : labelValues) {
            at = putString(at, end, value, true);
        }
        buffer.putInt(base + SERIES_FAMILY_OFFSET, familyIndex);
        buffer.putInt(base + SERIES_HISTOGRAM_OFFSET, histogramIndex);
        buffer.putInt(base + SERIES_LABEL_COUNT_OFFSET, labelValues.size());
        buffer.putLong(base + SERIES_CREATED_OFFSET, createdMillis);
        buffer.putIntOrdered(base + SERIES_STATE_OFFSET, RECORD_LIVE);
        buffer.putIntOrdered(SERIES_COUNT_OFFSET, seriesId + 1);
        if (histogramIndex >= 0) {
            // No writer touches the record before the handle exists: see classicSlots for how the table reaches it.
            buffer.putInt((int) layout.histogramOffset(histogramIndex) + HISTOGRAM_CLASSIC_COUNT_OFFSET,
                    classic.boundCount());
            classicSlots[histogramIndex] = classic.slotByIndex();
            buffer.putIntOrdered(HISTOGRAM_COUNT_OFFSET, histogramIndex + 1);
        }
    }

    private int putString(int at, int limit, String value, boolean mustFit) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        int length = bytes.length;
        if (at + 4 + length > limit) {
            if (mustFit) {
                throw new IllegalArgumentException("metadata too long for the store record: '" + value + "'");
            }
            length = Math.max(0, limit - at - 4);
            // Never cut a UTF-8 sequence in half: back up to the start of a character.
            while (length > 0 && length < bytes.length && (bytes[length] & 0xC0) == 0x80) {
                length--;
            }
        }
        buffer.putInt(at, length);
        buffer.putBytes(at + 4, bytes, 0, length);
        return at + 4 + length;
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
        int base = (int) layout.valueOffset(seriesId);
        long integer = buffer.getLong(base + VALUE_LONG_OFFSET);
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
            buffer.putLongOrdered(at, Double.doubleToRawLongBits(Double.longBitsToDouble(buffer.getLong(at)) + carried));
        }
        buffer.putLongOrdered(base + VALUE_LONG_OFFSET, sum);
    }

    /** Sets a counter's integer part to a running total kept elsewhere (self-metrics); totals only grow. */
    public void counterSet(int seriesId, long total) {
        buffer.putLongOrdered((int) layout.valueOffset(seriesId) + VALUE_LONG_OFFSET, total);
    }

    /** Adds to a counter's fractional part (kept apart so integer increments stay exact beyond 2^53). */
    public void counterAddDouble(int seriesId, double delta) {
        int at = (int) layout.valueOffset(seriesId) + VALUE_DOUBLE_OFFSET;
        buffer.putLongOrdered(at, Double.doubleToRawLongBits(Double.longBitsToDouble(buffer.getLong(at)) + delta));
    }

    /** Sets a gauge. */
    public void gaugeSet(int seriesId, double value) {
        buffer.putLongOrdered((int) layout.valueOffset(seriesId) + VALUE_LONG_OFFSET, Double.doubleToRawLongBits(value));
    }

    /** Adds to a gauge. */
    public void gaugeAdd(int seriesId, double delta) {
        int at = (int) layout.valueOffset(seriesId) + VALUE_LONG_OFFSET;
        buffer.putLongOrdered(at, Double.doubleToRawLongBits(Double.longBitsToDouble(buffer.getLong(at)) + delta));
    }

    /** Counts an applied update and stamps its time (the time the aggregator read once per batch). */
    public void touch(int seriesId, long nowMillis) {
        int base = (int) layout.valueOffset(seriesId);
        buffer.putLongOrdered(base + VALUE_UPDATES_OFFSET, buffer.getLong(base + VALUE_UPDATES_OFFSET) + 1);
        buffer.putLongOrdered(base + VALUE_LAST_UPDATE_OFFSET, nowMillis);
    }

    /** Writes the heartbeat, so that readers in other processes can tell a live writer from a dead one. */
    public void heartbeat(long nowMillis) {
        buffer.putLongOrdered(HEARTBEAT_OFFSET, nowMillis);
    }

    /** Marks the store closed for readers in other processes. */
    public void markClosed() {
        buffer.putIntOrdered(STATE_OFFSET, STATE_CLOSED);
        if (mapped != null) {
            mapped.force();
        }
    }

    /**
     * Records {@code count} occurrences of {@code value} in histogram {@code histogramIndex}. The value must already
     * be within the layout's range (the aggregator clamps and counts what is not).
     */
    public void histogramRecord(int histogramIndex, long value, long count) {
        int base = beginHistogramUpdate(histogramIndex);
        int index = histogramLayout.indexOf(value);
        addToBucket(base, histogramIndex, index, count);
        addTotals(base, count, value * count, value, value, index, index);
        endHistogramUpdate(base);
    }

    /**
     * Applies counts accumulated elsewhere (a recording thread's histogram cell) to histogram
     * {@code delta.histogramIndex()} in one update: readers see all of it or none of it. The delta's lowest and
     * highest value are kept within its lowest and highest bucket.
     */
    public void histogramAdd(HistogramDelta delta) {
        int base = beginHistogramUpdate(delta.histogramIndex());
        long count = 0;
        int low = Integer.MAX_VALUE;
        int high = -1;
        for (int i = 0, n = delta.size(); i < n; i++) {
            int index = delta.bucket(i);
            long added = delta.count(i);
            addToBucket(base, delta.histogramIndex(), index, added);
            count += added;
            low = Math.min(low, index);
            high = Math.max(high, index);
        }
        long min = delta.min();
        long max = delta.max();
        if (count > 0) {
            // A cell's lowest or highest value may belong to a record whose bucket the delta does not hold yet: keep
            // them within the buckets, at bucket resolution until that bucket arrives.
            min = Math.max(min, histogramLayout.valueAt(low));
            max = Math.min(max, histogramLayout.highestValueAt(high));
        }
        addTotals(base, count, delta.sum(), min, max, low, high);
        endHistogramUpdate(base);
    }

    /**
     * Opens an update of one histogram record: copies it to its shadow first if a read epoch is open and this is its
     * first update in that epoch, then makes its version odd. Returns the record's offset.
     */
    private int beginHistogramUpdate(int histogramIndex) {
        int base = (int) layout.histogramOffset(histogramIndex);
        long epoch = (long) EPOCH.getVolatile(this);
        if ((epoch & 1L) != 0 && copiedEpochs.getLong(8 * histogramIndex) != epoch) {
            copyToShadow(histogramIndex, base);
            copiedEpochs.putLongOrdered(8 * histogramIndex, epoch);
        }
        buffer.putLongOrdered(base, buffer.getLong(base) + 1);
        // The data stores that follow must not become visible before the odd version.
        VarHandle.storeStoreFence();
        return base;
    }

    private void endHistogramUpdate(int base) {
        buffer.putLongOrdered(base, buffer.getLong(base) + 1);
    }

    /** Adds to one HDR bucket and to the classic bucket it falls in, inside the record's odd version. */
    private void addToBucket(int base, int histogramIndex, int index, long count) {
        int countsAt = base + HISTOGRAM_HEADER_LENGTH + 8 * index;
        buffer.putLong(countsAt, buffer.getLong(countsAt) + count);
        addClassic(base, histogramIndex, index, count);
    }

    /**
     * Adds {@code count} values summing to {@code sum}, between {@code min} and {@code max}, in buckets
     * {@code lowIndex} to {@code highIndex}, to the record's totals. {@code count} may be 0 with a non-zero sum: a
     * cell's sum can run ahead of the buckets already taken from it.
     */
    private void addTotals(int base, long count, long sum, long min, long max, int lowIndex, int highIndex) {
        long total = buffer.getLong(base + HISTOGRAM_COUNT_FIELD_OFFSET);
        if (count > 0) {
            if (total == 0) {
                buffer.putLong(base + HISTOGRAM_MIN_OFFSET, min);
                buffer.putLong(base + HISTOGRAM_MAX_OFFSET, max);
                buffer.putInt(base + HISTOGRAM_LOW_INDEX_OFFSET, lowIndex);
                buffer.putInt(base + HISTOGRAM_HIGH_INDEX_OFFSET, highIndex);
            } else {
                if (min < buffer.getLong(base + HISTOGRAM_MIN_OFFSET)) {
                    buffer.putLong(base + HISTOGRAM_MIN_OFFSET, min);
                }
                if (max > buffer.getLong(base + HISTOGRAM_MAX_OFFSET)) {
                    buffer.putLong(base + HISTOGRAM_MAX_OFFSET, max);
                }
                if (lowIndex < buffer.getInt(base + HISTOGRAM_LOW_INDEX_OFFSET)) {
                    buffer.putInt(base + HISTOGRAM_LOW_INDEX_OFFSET, lowIndex);
                }
                if (highIndex > buffer.getInt(base + HISTOGRAM_HIGH_INDEX_OFFSET)) {
                    buffer.putInt(base + HISTOGRAM_HIGH_INDEX_OFFSET, highIndex);
                }
            }
            buffer.putLong(base + HISTOGRAM_COUNT_FIELD_OFFSET, total + count);
        }
        buffer.putLong(base + HISTOGRAM_SUM_OFFSET, buffer.getLong(base + HISTOGRAM_SUM_OFFSET) + sum);
    }

    /**
     * Adds {@code count} to the classic bucket of HDR bucket {@code bucketIndex}: one table load and one add. Every
     * write of bucket counts goes through here, inside the record's odd version, so that classic counts always add
     * up to the total count.
     */
    private void addClassic(int base, int histogramIndex, int bucketIndex, long count) {
        int at = base + HISTOGRAM_CLASSIC_OFFSET + 8 * classicSlots[histogramIndex][bucketIndex];
        buffer.putLong(at, buffer.getLong(at) + count);
    }

    private void copyToShadow(int histogramIndex, int base) {
        int shadowBase = (int) (histogramIndex * layout.histogramRecordLength());
        // The header takes the classic counts along: a shadow reader sees them as of the same instant as the buckets.
        shadow.putBytes(shadowBase, buffer, base, HISTOGRAM_HEADER_LENGTH);
        if (buffer.getLong(base + HISTOGRAM_COUNT_FIELD_OFFSET) != 0) {
            int low = buffer.getInt(base + HISTOGRAM_LOW_INDEX_OFFSET);
            int high = buffer.getInt(base + HISTOGRAM_HIGH_INDEX_OFFSET);
            int from = HISTOGRAM_HEADER_LENGTH + 8 * low;
            shadow.putBytes(shadowBase + from, buffer, base + from, 8 * (high - low + 1));
        }
    }

    // ------------------------------------------------------------------ readers (any thread)

    /** Number of series whose metadata is complete. */
    public int seriesCount() {
        return buffer.getIntVolatile(SERIES_COUNT_OFFSET);
    }

    /**
     * A counter's total: its integer part plus its double part (fractional increments and carries), read as one
     * pair.
     */
    public double counterValue(int seriesId) {
        return counterValue(buffer, (int) layout.valueOffset(seriesId));
    }

    /**
     * A counter's integer part: the sum of its integer increments, exact below 2^63; {@code Long.MAX_VALUE} once the
     * total has passed it (the rest is carried into the double part, {@link #counterValue}).
     */
    public long counterLongValue(int seriesId) {
        return counterLongValue(buffer, (int) layout.valueOffset(seriesId));
    }

    /**
     * A counter's double part (fractional increments, and what its integer part carried past
     * {@code Long.MAX_VALUE}). To pair it with {@link #counterIntegerPart}, read it before and after that and retry
     * if it moved: the writer updates it before the integer part.
     */
    public double counterDoublePart(int seriesId) {
        return Double.longBitsToDouble(buffer.getLongVolatile((int) layout.valueOffset(seriesId) + VALUE_DOUBLE_OFFSET));
    }

    /** A counter's integer part as stored (see {@link #counterDoublePart}). */
    public long counterIntegerPart(int seriesId) {
        return buffer.getLongVolatile((int) layout.valueOffset(seriesId) + VALUE_LONG_OFFSET);
    }

    /** {@link #counterValue(int)} of the value slot at {@code base} of {@code from}. */
    static double counterValue(AtomicBuffer from, int base) {
        while (true) {
            long before = from.getLongVolatile(base + VALUE_DOUBLE_OFFSET);
            long integer = from.getLongVolatile(base + VALUE_LONG_OFFSET);
            if (from.getLongVolatile(base + VALUE_DOUBLE_OFFSET) == before) {
                return integer + Double.longBitsToDouble(before);
            }
        }
    }

    /** {@link #counterLongValue(int)} of the value slot at {@code base} of {@code from}. */
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
        return Double.longBitsToDouble(buffer.getLongVolatile((int) layout.valueOffset(seriesId) + VALUE_LONG_OFFSET));
    }

    /** Updates applied to a series so far. */
    public long updates(int seriesId) {
        return buffer.getLongVolatile((int) layout.valueOffset(seriesId) + VALUE_UPDATES_OFFSET);
    }

    /** Time of the last update applied to a series, epoch millis, or 0 if none. */
    public long lastUpdateMillis(int seriesId) {
        return buffer.getLongVolatile((int) layout.valueOffset(seriesId) + VALUE_LAST_UPDATE_OFFSET);
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
        int base = (int) layout.histogramOffset(histogramIndex);
        for (int attempt = 1; ; attempt++) {
            // The version must be read before the shadow check: the writer marks the shadow copied (release) before
            // it bumps the version of its first write in this epoch, so a version read ahead of a check that finds
            // no copy predates that write, and the in-place read validated against it is the state the epoch
            // opened with. Checking first would let the writer copy, mark and update in between, and the in-place
            // read would then return a state written during the epoch.
            long before = buffer.getLongVolatile(base);
            if (copiedEpochs.getLongVolatile(8 * histogramIndex) == epoch) {
                readRecord(shadow, (int) (histogramIndex * layout.histogramRecordLength()), buckets, classic);
                return;
            }
            if ((before & 1L) == 0) {
                readRecord(buffer, base, buckets, classic);
                VarHandle.acquireFence();
                if (buffer.getLongVolatile(base) == before) {
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

    /** Reads whichever of {@code buckets} and {@code classic} is non-null; the caller validates the version. */
    static void readRecord(AtomicBuffer from, int base, HistogramReading buckets, ClassicReading classic) {
        if (buckets != null) {
            readBuckets(from, base, buckets);
        }
        if (classic != null) {
            readClassicCounts(from, base, classic);
        }
    }

    private static void readClassicCounts(AtomicBuffer from, int base, ClassicReading out) {
        int bounds = from.getInt(base + HISTOGRAM_CLASSIC_COUNT_OFFSET);
        if (bounds < 0 || bounds >= HISTOGRAM_CLASSIC_SLOTS) {
            // Written once before the record is first used; only a damaged file can hold this.
            bounds = 0;
        }
        long[] counts = out.counts();
        for (int k = 0; k <= bounds; k++) {
            counts[k] = from.getLong(base + HISTOGRAM_CLASSIC_OFFSET + 8 * k);
        }
        out.set(from.getLong(base + HISTOGRAM_COUNT_FIELD_OFFSET), from.getLong(base + HISTOGRAM_SUM_OFFSET), bounds);
    }

    private static void readBuckets(AtomicBuffer from, int base, HistogramReading out) {
        long count = from.getLong(base + HISTOGRAM_COUNT_FIELD_OFFSET);
        if (count == 0) {
            out.set(0, 0, 0, 0, 0, -1);
            return;
        }
        int low = from.getInt(base + HISTOGRAM_LOW_INDEX_OFFSET);
        int high = from.getInt(base + HISTOGRAM_HIGH_INDEX_OFFSET);
        if (low < 0 || high < low || high >= (out.capacity())) {
            // Only a torn read can produce this; the caller's version check rejects it.
            out.set(0, 0, 0, 0, 0, -1);
            return;
        }
        // One bulk copy instead of a bounds-checked getLong per bucket: a scrape copies thousands of buckets per
        // histogram, mostly zeros. The range lies within the record (checked above); byte order is the buffer's
        // native one, as getLong reads it.
        UnsafeApi.copyMemory(from.byteArray(), from.addressOffset() + base + HISTOGRAM_HEADER_LENGTH + 8L * low,
                out.counts(), LONG_ARRAY_BASE, 8L * (high - low + 1));
        out.set(count, from.getLong(base + HISTOGRAM_SUM_OFFSET), from.getLong(base + HISTOGRAM_MIN_OFFSET),
                from.getLong(base + HISTOGRAM_MAX_OFFSET), low, high);
    }

    /** The underlying buffer, for {@link StoreReader}-style tools and tests in this package. */
    AtomicBuffer buffer() {
        return buffer;
    }
}
