package io.streammetrics.internal.store;

import org.agrona.concurrent.AtomicBuffer;

import java.util.Arrays;

import static io.streammetrics.internal.store.StoreLayout.*;

/**
 * A histogram's counts as pages of {@value StoreLayout#PAGE_BUCKETS} buckets, each taken when the first value
 * reaches it and in its own count width, found through the histogram's page table ({@link StoreLayout}). Why pages:
 * memory follows the data (a latency timer touches the dozen or two half-octaves its values reach, not the 72 of the
 * 1 ns - 1 h range), the hot pages widen while the tails stay at a byte a bucket, and every page has one of four
 * sizes, so a page a histogram gives up (on widening) is exactly what another one takes next: no fragmentation.
 */
final class CountPages {
    private static final int OFFSET_MASK = 0x3FFF_FFFF;
    /** Page offsets are stored divided by this (pages are 64-byte aligned). */
    private static final int OFFSET_SHIFT = 6;
    /** The largest store a page table can address: 30 bits of 64-byte units. */
    static final long MAX_STORE_BYTES = (long) OFFSET_MASK << OFFSET_SHIFT;

    private CountPages() {
    }

    /** The table entry of a page at store offset {@code offset} (64-byte aligned) in {@code width}-byte counts. */
    static int entry(long offset, int width) {
        if (offset > MAX_STORE_BYTES) {
            throw new IllegalStateException("store of more than " + MAX_STORE_BYTES + " bytes");
        }
        return (int) (offset >>> OFFSET_SHIFT) | (Integer.numberOfTrailingZeros(width) << 30);
    }

    /** The store offset of an entry's page. */
    static long offset(int entry) {
        return (long) (entry & OFFSET_MASK) << OFFSET_SHIFT;
    }

    /** The count width of an entry's page: 1, 2, 4 or 8. */
    static int width(int entry) {
        return 1 << (entry >>> 30);
    }

    /**
     * Copies the counts of buckets {@code low} to {@code high} of the histogram whose header is at {@code headerAt}
     * of {@code header} into {@code out[0..high - low]}: pages through {@code segments}, zeros for pages not taken.
     * Returns false, having read nothing outside the segments, if the table or a page does not lie where the header
     * says (a header read in the middle of an update, or a damaged file).
     */
    static boolean copyOut(AtomicBuffer header, int headerAt, SegmentView segments, int low, int high, long[] out) {
        long table = header.getLong(headerAt + HISTOGRAM_TABLE_OFFSET);
        int first = header.getInt(headerAt + HISTOGRAM_FIRST_PAGE_OFFSET);
        int length = header.getInt(headerAt + HISTOGRAM_TABLE_LENGTH_OFFSET);
        int lowPage = low / PAGE_BUCKETS;
        int highPage = high / PAGE_BUCKETS;
        AtomicBuffer tb = segments.bufferOrNull(table);
        if (tb == null || first < 0 || length < 0 || lowPage < first || highPage >= first + length) {
            return false;
        }
        int tableAt = segments.position(table);
        if ((long) tableAt + 4L * length > tb.capacity()) {
            return false;
        }
        for (int page = lowPage; page <= highPage; page++) {
            int from = Math.max(low, page * PAGE_BUCKETS);
            int to = Math.min(high, page * PAGE_BUCKETS + PAGE_BUCKETS - 1);
            int entry = tb.getInt(tableAt + 4 * (page - first));
            if (entry == 0) {
                Arrays.fill(out, from - low, to - low + 1, 0L);
                continue;
            }
            long offset = offset(entry);
            int width = width(entry);
            AtomicBuffer pb = segments.bufferOrNull(offset);
            int pageAt = segments.position(offset);
            if (pb == null || (long) pageAt + (long) PAGE_BUCKETS * width > pb.capacity()) {
                return false;
            }
            PackedCounts.copyOut(pb, pageAt + (from - page * PAGE_BUCKETS) * width, width, to - from + 1, out,
                    from - low);
        }
        return true;
    }
}
