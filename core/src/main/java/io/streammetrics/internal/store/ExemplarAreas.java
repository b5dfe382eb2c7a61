package io.streammetrics.internal.store;

import io.streammetrics.exemplar.Exemplar;
import org.agrona.concurrent.AtomicBuffer;

import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.streammetrics.internal.store.StoreLayout.*;

/**
 * The store's exemplars: a fixed-size area per series that has had one (one slot per classic bucket, then the newest
 * and the largest for a histogram; one slot for a counter), reached through the exemplar directory
 * ({@link StoreLayout}). Memory is taken on a series' first exemplar, so series without exemplars cost nothing.
 *
 * <p>Written by the store's single writer: an offered exemplar replaces a slot's exemplar only once that one has
 * been kept for the minimum retention (client_java's rule), except the newest slot, which always takes it, and the
 * largest, which takes a larger value at once. A slot's replacement is one seqlock phase of the area's version, so a
 * reader copies a consistent area without stopping the writer (exemplars are replaced at most a few times a second
 * per series, so a reader hardly ever retries).
 */
final class ExemplarAreas {
    private static final int MAX_ATTEMPTS = 1000;
    /** Most extra labels a labels record holds: each takes at least two of {@code ExemplarLabels.MAX_CHARACTERS}. */
    static final int MAX_LABEL_PAIRS = 32;

    private final StoreSegments segments;
    private final AtomicBuffer header;
    private final StoreArena blocks;
    private final int seriesChunks;
    /** The writer's copies of what it published: the directory's offset and its chunks' offsets. */
    private long directory;
    private final long[] chunks;

    ExemplarAreas(StoreSegments segments, AtomicBuffer header, StoreArena blocks, int seriesChunks) {
        this.segments = segments;
        this.header = header;
        this.blocks = blocks;
        this.seriesChunks = seriesChunks;
        this.chunks = new long[seriesChunks];
    }

    /**
     * Offers an exemplar to series {@code seriesId} (writer only).
     *
     * @param classicSlots the histogram's classic slot count (bounds + 1), or 0 for a counter
     * @param classicSlot  the classic slot the value falls in (ignored for a counter)
     * @return whether a slot took it
     */
    boolean offer(int seriesId, int classicSlots, int classicSlot, long value, long traceHigh, long traceLow,
                  long spanId, long timestampMillis, long labels, long minRetentionMillis) {
        long area = areaForWrite(seriesId, classicSlots);
        AtomicBuffer b = segments.buffer(area);
        int base = segments.position(area);
        boolean taken = false;
        if (classicSlots == 0) {
            taken = offerSlot(b, base, 0, false, value, traceHigh, traceLow, spanId, timestampMillis, labels,
                    minRetentionMillis);
        } else {
            taken |= offerSlot(b, base, classicSlot, false, value, traceHigh, traceLow, spanId, timestampMillis,
                    labels, minRetentionMillis);
            taken |= offerSlot(b, base, classicSlots, false, value, traceHigh, traceLow, spanId, timestampMillis,
                    labels, 0);
            taken |= offerSlot(b, base, classicSlots + 1, true, value, traceHigh, traceLow, spanId, timestampMillis,
                    labels, minRetentionMillis);
        }
        return taken;
    }

    private static boolean offerSlot(AtomicBuffer b, int base, int slot, boolean largest, long value, long traceHigh,
                                     long traceLow, long spanId, long timestampMillis, long labels,
                                     long minRetentionMillis) {
        int at = base + EXEMPLAR_SLOTS_OFFSET + slot * EXEMPLAR_SLOT_LENGTH;
        long kept = b.getLong(at + EXEMPLAR_TIMESTAMP);
        boolean replace = kept == 0 || timestampMillis - kept >= minRetentionMillis
                || (largest && value >= b.getLong(at + EXEMPLAR_VALUE));
        if (!replace) {
            return false;
        }
        long version = b.getLong(base + EXEMPLAR_VERSION_OFFSET);
        b.putLongOrdered(base + EXEMPLAR_VERSION_OFFSET, version + 1);
        // The slot's stores must not become visible before the odd version.
        VarHandle.storeStoreFence();
        b.putLong(at + EXEMPLAR_VALUE, value);
        b.putLong(at + EXEMPLAR_TRACE_HIGH, traceHigh);
        b.putLong(at + EXEMPLAR_TRACE_LOW, traceLow);
        b.putLong(at + EXEMPLAR_SPAN, spanId);
        b.putLong(at + EXEMPLAR_TIMESTAMP, timestampMillis);
        b.putLong(at + EXEMPLAR_LABELS, labels);
        b.putLongOrdered(base + EXEMPLAR_VERSION_OFFSET, version + 2);
        return true;
    }

    /** The series' area, taken (and published) on its first exemplar. */
    private long areaForWrite(int seriesId, int classicSlots) {
        if (directory == 0) {
            directory = blocks.allocate(8 * seriesChunks);
            header.putLongOrdered(EXEMPLAR_DIRECTORY_OFFSET, directory);
        }
        int chunkIndex = seriesId / SERIES_PER_CHUNK;
        long chunk = chunks[chunkIndex];
        if (chunk == 0) {
            chunk = blocks.allocate(8 * SERIES_PER_CHUNK);
            chunks[chunkIndex] = chunk;
            segments.buffer(directory).putLongOrdered(segments.position(directory) + 8 * chunkIndex, chunk);
        }
        AtomicBuffer cb = segments.buffer(chunk);
        int entry = segments.position(chunk) + 8 * (seriesId % SERIES_PER_CHUNK);
        long area = cb.getLong(entry);
        if (area == 0) {
            int slots = classicSlots == 0 ? 1 : classicSlots + EXEMPLAR_NATIVE_SLOTS;
            area = blocks.allocate(EXEMPLAR_SLOTS_OFFSET + slots * EXEMPLAR_SLOT_LENGTH);
            AtomicBuffer b = segments.buffer(area);
            int base = segments.position(area);
            b.putInt(base + EXEMPLAR_SLOT_COUNT_OFFSET, slots);
            b.putInt(base + EXEMPLAR_CLASSIC_COUNT_OFFSET, classicSlots);
            cb.putLongOrdered(entry, area);
        }
        return area;
    }

    /**
     * The exemplars of series {@code seriesId}, read consistently from any thread or process (empty when it has none).
     *
     * @param view          the segments as the reader sees them
     * @param header        the store's header (segment 0)
     * @param seriesChunks  entries of the exemplar directory
     * @param counter       whether the series is a counter's
     * @throws IllegalStateException if an offset leads outside the segments (a damaged store)
     */
    static List<Exemplar> read(SegmentView view, AtomicBuffer header, int seriesChunks, int seriesId,
                               boolean counter) {
        long directory = header.getLongVolatile(EXEMPLAR_DIRECTORY_OFFSET);
        if (directory == 0) {
            return List.of();
        }
        long chunk = getLongVolatile(view, directory + 8L * (seriesId / SERIES_PER_CHUNK), "exemplar directory");
        if (chunk == 0) {
            return List.of();
        }
        long area = getLongVolatile(view, chunk + 8L * (seriesId % SERIES_PER_CHUNK), "exemplar chunk");
        if (area == 0) {
            return List.of();
        }
        AtomicBuffer b = buffer(view, area, EXEMPLAR_SLOTS_OFFSET, "exemplar area");
        int base = view.position(area);
        int slots = b.getInt(base + EXEMPLAR_SLOT_COUNT_OFFSET);
        int classicSlots = b.getInt(base + EXEMPLAR_CLASSIC_COUNT_OFFSET);
        if (slots < 1 || slots > HISTOGRAM_CLASSIC_SLOTS + EXEMPLAR_NATIVE_SLOTS || classicSlots < 0
                || classicSlots > slots) {
            throw new IllegalStateException("exemplar area of series " + seriesId + " has " + slots + " slots ("
                    + classicSlots + " classic)");
        }
        buffer(view, area, EXEMPLAR_SLOTS_OFFSET + slots * EXEMPLAR_SLOT_LENGTH, "exemplar area");
        long[] copy = new long[slots * EXEMPLAR_SLOT_LENGTH / 8];
        for (int attempt = 0; ; attempt++) {
            long before = b.getLongVolatile(base + EXEMPLAR_VERSION_OFFSET);
            if ((before & 1L) == 0) {
                for (int i = 0; i < copy.length; i++) {
                    copy[i] = b.getLong(base + EXEMPLAR_SLOTS_OFFSET + 8 * i);
                }
                VarHandle.acquireFence();
                if (b.getLongVolatile(base + EXEMPLAR_VERSION_OFFSET) == before) {
                    break;
                }
            }
            if (attempt >= MAX_ATTEMPTS) {
                // A writer replaces exemplars a few times a second; one stuck odd is gone or broken.
                return List.of();
            }
            Thread.onSpinWait();
        }
        List<Exemplar> out = new ArrayList<>(slots);
        for (int slot = 0; slot < slots; slot++) {
            int at = slot * EXEMPLAR_SLOT_LENGTH / 8;
            long timestamp = copy[at + EXEMPLAR_TIMESTAMP / 8];
            if (timestamp == 0) {
                continue;
            }
            long raw = copy[at + EXEMPLAR_VALUE / 8];
            Exemplar.Kind kind;
            int bucket = -1;
            if (counter) {
                kind = Exemplar.Kind.COUNTER;
            } else if (slot < classicSlots) {
                kind = Exemplar.Kind.CLASSIC_BUCKET;
                bucket = slot;
            } else {
                kind = slot == classicSlots ? Exemplar.Kind.NEWEST : Exemplar.Kind.LARGEST;
            }
            out.add(new Exemplar(kind, bucket, counter ? Double.longBitsToDouble(raw) : raw,
                    copy[at + EXEMPLAR_TRACE_HIGH / 8], copy[at + EXEMPLAR_TRACE_LOW / 8], copy[at + EXEMPLAR_SPAN / 8],
                    timestamp, readLabels(view, copy[at + EXEMPLAR_LABELS / 8])));
        }
        return Collections.unmodifiableList(out);
    }

    /** An exemplar labels record ({@link MetricStore#writeExemplarLabels}); written once, never changed. */
    static Map<String, String> readLabels(SegmentView view, long offset) {
        if (offset == 0) {
            return Map.of();
        }
        AtomicBuffer b = buffer(view, offset, 4, "exemplar labels");
        int at = view.position(offset);
        int count = b.getInt(at);
        if (count < 0 || count > MAX_LABEL_PAIRS) {
            throw new IllegalStateException("exemplar labels record at " + offset + " has " + count + " labels");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        at += 4;
        for (int i = 0; i < count; i++) {
            String[] pair = new String[2];
            for (int j = 0; j < 2; j++) {
                int bytes = at + 4 <= b.capacity() ? b.getInt(at) : -1;
                if (bytes < 0 || (long) at + 4 + bytes > b.capacity()) {
                    throw new IllegalStateException("exemplar labels record at " + offset + " runs past its segment");
                }
                pair[j] = b.getStringWithoutLengthUtf8(at + 4, bytes);
                at += 4 + bytes;
            }
            labels.put(pair[0], pair[1]);
        }
        return Collections.unmodifiableMap(labels);
    }

    private static long getLongVolatile(SegmentView view, long offset, String what) {
        return buffer(view, offset, 8, what).getLongVolatile(view.position(offset));
    }

    private static AtomicBuffer buffer(SegmentView view, long offset, int length, String what) {
        AtomicBuffer b = view.bufferOrNull(offset);
        if (b == null || (long) view.position(offset) + length > b.capacity()) {
            throw new IllegalStateException(what + " at store offset " + offset + " lies outside the segments");
        }
        return b;
    }
}
