package io.streammetrics.internal.store;

import io.streammetrics.common.ClassicBuckets;
import io.streammetrics.common.HistogramLayout;

/**
 * Byte layout of the metric store, shared by the writer ({@link MetricStore}) and by {@link StoreReader}, which may
 * run in another process over the same memory-mapped file. All integers are little-endian (native order on the
 * platforms the JDK runs Agrona on); strings are a 4-byte length followed by UTF-8 bytes; every record starts on an
 * 8-byte boundary.
 *
 * <p>Memory is taken as series are used, not reserved for a capacity: the store is a sequence of equal
 * <em>segments</em> (256 KiB), added one at a time, and records are allocated inside them. A <em>store offset</em> (a
 * long) names a byte: segment {@code offset / segmentSize}, position {@code offset % segmentSize}; no record straddles
 * two segments. In a store file, segment {@code k} is the file's bytes {@code [k * segmentSize, (k + 1) *
 * segmentSize)}, and the file grows by a segment before the header's segment count says so. Offset 0 is never a
 * record (the header is there), so 0 means "none".
 *
 * <pre>
 *  segment 0                                                      segment 1 ...
 *  +--------+-------------------+-------------------+-----------+ +------------------------------------------------
 *  | header | family directory  | series directory  | records...| | records: families, series chunks, label values,
 *  |        | long[maxFamilies] | long[seriesChunks]|           | | histogram headers, page tables, pages      
 *  +--------+-------------------+-------------------+-----------+ +------------------------------------------------
 *
 *  Header (128 bytes)                          Family record (variable)
 *    0  int  magic 0x534D5354 ("SMST")           0  int  state (0 free, 1 live; written last, release)
 *    4  int  layout version                      4  int  metric type code (see MetricStore.TYPE_*)
 *    8  int  segment size, a power of two        8  int  label count
 *   12  int  segments in use (release)          12  int  classic upper bound count n
 *   16  int  max families                       16  int  record length in bytes
 *   20  int  series directory entries           20  str  name, unit, help (cut to fit), label names: at most
 *   24  long histogram lowest value                      1,024 bytes of text
 *   32  long histogram highest value            end - 8n  double[n] classic upper bounds, exported units
 *   40  int  histogram significant digits                 (seconds for timers), without +Inf
 *   44  int  family count (release)
 *   48  int  series count (release)            Series chunk: 1,024 series slots of 64 bytes, series id
 *   52  int  histogram count (release)           {@code id} in chunk {@code id / 1024} of the series directory
 *   56  long start time, epoch millis
 *   64  long process id of the writer          Series slot (64 bytes, one cache line)
 *   72  long heartbeat, epoch millis              0  int  state (0 free, 1 live; written last, release)
 *   80  int  state (0 running, 1 closed)          4  int  family index
 *   88  long memory limit in bytes                8  long store offset of the label values record
 *   96  long bytes taken (segments in use)       16  long created time, epoch millis
 *  104  long store offset of the exemplar
 *       directory (0: no exemplar yet, release)
 *  128  family directory: store offset of        24  long counter integer part, or gauge value as double bits
 *       each family record (0: none)             32  long counter double part: fractional increments and carries
 *  128 + 8 * maxFamilies  series directory:          past Long.MAX_VALUE (written before the integer part)
 *       store offset of each series chunk        40  long number of updates applied
 *                                                48  long time of the last update, epoch millis
 *  Label values record: int count, then          56  long store offset of the histogram header (0: none)
 *  count strings in the family's label order
 *
 *  Histogram header (72 + 8 * (n + 1) bytes, n = the family's classic bound count; never moves)
 *    0  long version: odd while the single writer updates the histogram (a seqlock for readers in other processes)
 *    8  long total count        16 long sum of values     24 long min value      32 long max value
 *   40  int  lowest non-zero bucket index      44 int highest non-zero bucket index
 *   48  long store offset of the page table (0: nothing recorded yet)
 *   56  int  first page: the page index of the table's first entry
 *   60  int  table length in entries (a multiple of 16)
 *   64  int  0 (used by frozen copies in process, see MetricStore)
 *   68  int  classic upper bound count n of the family (written at registration, never changed)
 *   72  long[n + 1] classic bucket counts, NOT cumulative: slot k &lt; n counts the values in (le[k-1], le[k]],
 *        slot n those above the last le (so the slots add up to the total count, which is the +Inf bucket);
 *        placement as {@link ClassicBuckets} describes
 *
 *  Page table (4 bytes an entry): entry i describes page (first page + i), the HDR buckets 64 * page to
 *  64 * page + 63 (HdrHistogram's bucket indexes, {@link HistogramLayout}; at 2 significant digits a page is half an
 *  octave). 0: no value reached the page yet, its counts are zero. Otherwise bits 0-29 hold the page's store offset
 *  divided by 64, and bits 30-31 its count width: 1, 2, 4 or 8 bytes (code 0 to 3; unsigned below 8). The table
 *  covers the pages from the lowest to the highest reached, and moves (to a larger table) when a value lands
 *  outside it.
 *
 *  Page (64 * width bytes): 64 counts. A page is taken when the first value lands in it, in width 1, and moves to a
 *  page twice as wide (or wider) before a count outgrows its width; the old page is reused by another histogram.
 *  All moves happen inside the version's odd phase.
 *
 *  Exemplar directory (taken by the writer on the first exemplar): long[series directory entries], the store offset
 *  of each exemplar chunk (0: none); an exemplar chunk is long[1,024], the store offset of each series' exemplar
 *  area (0: none), series {@code id} at chunk {@code id / 1024}, entry {@code id % 1024}. Both written by the writer
 *  with release stores after what they point to.
 *
 *  Exemplar area (16 + 48 * slots bytes; a counter: 1 slot; a histogram with n classic bounds: n + 1 classic
 *  slots, then the newest, then the largest; never moves)
 *    0  long version: odd while the writer replaces a slot (a seqlock)
 *    8  int  slot count      12 int classic slot count (0 for a counter)
 *   16  slots, 48 bytes each:
 *        0 long value: a histogram's recorded value, or a counter increment's double bits
 *        8 long trace id, high 8 bytes    16 long trace id, low 8 bytes    24 long span id
 *       32 long timestamp, epoch millis (0: empty slot)
 *       40 long store offset of the exemplar labels record (0: none): int count, then count name and value strings
 * </pre>
 */
public final class StoreLayout {
    /** Magic number at offset 0: "SMST". */
    public static final int MAGIC = 0x534D5354;
    /** Version of this layout; readers refuse other versions. */
    public static final int LAYOUT_VERSION = 3;
    /**
     * Bytes of a segment, the unit in which the store takes memory: 256 KiB, or the smallest power of two that holds
     * a histogram's whole range in longs when the precision asks for more (what a reader's frozen copy may take, and
     * no record straddles segments).
     */
    public static final int MIN_SEGMENT_SIZE = 256 * 1024;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int SEGMENT_SIZE_OFFSET = 8;
    public static final int SEGMENT_COUNT_OFFSET = 12;
    public static final int MAX_FAMILIES_OFFSET = 16;
    public static final int SERIES_CHUNKS_OFFSET = 20;
    public static final int HISTOGRAM_LOWEST_OFFSET = 24;
    public static final int HISTOGRAM_HIGHEST_OFFSET = 32;
    public static final int HISTOGRAM_DIGITS_OFFSET = 40;
    public static final int FAMILY_COUNT_OFFSET = 44;
    public static final int SERIES_COUNT_OFFSET = 48;
    public static final int HISTOGRAM_COUNT_OFFSET = 52;
    public static final int START_TIME_OFFSET = 56;
    public static final int PID_OFFSET = 64;
    public static final int HEARTBEAT_OFFSET = 72;
    public static final int STATE_OFFSET = 80;
    public static final int MEMORY_LIMIT_OFFSET = 88;
    public static final int BYTES_TAKEN_OFFSET = 96;
    public static final int EXEMPLAR_DIRECTORY_OFFSET = 104;
    public static final int FAMILY_DIRECTORY_OFFSET = 128;

    public static final int EXEMPLAR_VERSION_OFFSET = 0;
    public static final int EXEMPLAR_SLOT_COUNT_OFFSET = 8;
    public static final int EXEMPLAR_CLASSIC_COUNT_OFFSET = 12;
    public static final int EXEMPLAR_SLOTS_OFFSET = 16;
    public static final int EXEMPLAR_SLOT_LENGTH = 48;
    public static final int EXEMPLAR_VALUE = 0;
    public static final int EXEMPLAR_TRACE_HIGH = 8;
    public static final int EXEMPLAR_TRACE_LOW = 16;
    public static final int EXEMPLAR_SPAN = 24;
    public static final int EXEMPLAR_TIMESTAMP = 32;
    public static final int EXEMPLAR_LABELS = 40;
    /** A histogram's slots besides its classic ones: the newest and the largest. */
    public static final int EXEMPLAR_NATIVE_SLOTS = 2;

    public static final int FAMILY_STATE_OFFSET = 0;
    public static final int FAMILY_TYPE_OFFSET = 4;
    public static final int FAMILY_LABEL_COUNT_OFFSET = 8;
    public static final int FAMILY_CLASSIC_COUNT_OFFSET = 12;
    public static final int FAMILY_LENGTH_OFFSET = 16;
    public static final int FAMILY_TEXT_OFFSET = 20;
    /** Bytes of text (name, unit, help, label names with their lengths) a family record holds at most. */
    public static final int FAMILY_TEXT_LIMIT = 1024;

    public static final int SERIES_PER_CHUNK = 1024;
    public static final int SERIES_SLOT_LENGTH = 64;
    public static final int SERIES_CHUNK_LENGTH = SERIES_PER_CHUNK * SERIES_SLOT_LENGTH;
    public static final int SERIES_STATE_OFFSET = 0;
    public static final int SERIES_FAMILY_OFFSET = 4;
    public static final int SERIES_LABELS_OFFSET = 8;
    public static final int SERIES_CREATED_OFFSET = 16;
    public static final int VALUE_LONG_OFFSET = 24;
    public static final int VALUE_DOUBLE_OFFSET = 32;
    public static final int VALUE_UPDATES_OFFSET = 40;
    public static final int VALUE_LAST_UPDATE_OFFSET = 48;
    public static final int SERIES_HISTOGRAM_OFFSET = 56;
    /** Bytes of label values (with their lengths) a series holds at most. */
    public static final int MAX_LABEL_BYTES = 488;

    public static final int HISTOGRAM_VERSION_OFFSET = 0;
    public static final int HISTOGRAM_COUNT_FIELD_OFFSET = 8;
    public static final int HISTOGRAM_SUM_OFFSET = 16;
    public static final int HISTOGRAM_MIN_OFFSET = 24;
    public static final int HISTOGRAM_MAX_OFFSET = 32;
    public static final int HISTOGRAM_LOW_INDEX_OFFSET = 40;
    public static final int HISTOGRAM_HIGH_INDEX_OFFSET = 44;
    public static final int HISTOGRAM_TABLE_OFFSET = 48;
    public static final int HISTOGRAM_FIRST_PAGE_OFFSET = 56;
    public static final int HISTOGRAM_TABLE_LENGTH_OFFSET = 60;
    public static final int HISTOGRAM_FROZEN_WIDTH_OFFSET = 64;
    public static final int HISTOGRAM_CLASSIC_COUNT_OFFSET = 68;
    public static final int HISTOGRAM_CLASSIC_OFFSET = 72;
    /** Classic bucket slots a histogram header may hold: one per upper bound and one for the values above the last. */
    public static final int HISTOGRAM_CLASSIC_SLOTS = ClassicBuckets.MAX_UPPER_BOUNDS + 1;
    /** Buckets in a page: 64, half an octave at 2 significant digits. */
    public static final int PAGE_BUCKETS = 64;
    /** Page table entries are added in groups of this many (64 bytes). */
    public static final int TABLE_GROUP = 16;

    public static final int RECORD_LIVE = 1;
    public static final int STATE_RUNNING = 0;
    public static final int STATE_CLOSED = 1;

    private final int maxFamilies;
    private final int seriesChunks;
    private final int segmentSize;

    /**
     * Capacities of the store's directories (memory is taken as they fill, not here).
     *
     * @param maxFamilies families the family directory holds
     * @param maxSeries series the series directory holds, rounded up to whole chunks of {@value #SERIES_PER_CHUNK}
     * @param countsLength buckets of a histogram's whole range ({@link HistogramLayout#countsLength()}): sizes the
     *                     segments
     */
    public StoreLayout(int maxFamilies, int maxSeries, int countsLength) {
        if (maxFamilies < 1 || maxSeries < 1 || countsLength < 1) {
            throw new IllegalArgumentException("store capacities must be >= 1, got " + maxFamilies + " families, "
                    + maxSeries + " series and " + countsLength + " buckets");
        }
        this.maxFamilies = maxFamilies;
        this.seriesChunks = (int) (((long) maxSeries + SERIES_PER_CHUNK - 1) / SERIES_PER_CHUNK);
        long largestRecord = 8L * countsLength + histogramHeaderLength(ClassicBuckets.MAX_UPPER_BOUNDS);
        if (largestRecord > 1 << 30) {
            throw new IllegalArgumentException("histograms of " + countsLength + " buckets are too large for the store");
        }
        this.segmentSize = Math.max(MIN_SEGMENT_SIZE, Integer.highestOneBit((int) largestRecord - 1) << 1);
        if (headerLength() > segmentSize / 2) {
            throw new IllegalArgumentException("store directories for " + maxFamilies + " families and " + maxSeries
                    + " series do not fit the first segment: lower maxFamilies or maxSeries");
        }
    }

    public int maxFamilies() {
        return maxFamilies;
    }

    /** Bytes of a segment: a power of two, at least {@value #MIN_SEGMENT_SIZE}. */
    public int segmentSize() {
        return segmentSize;
    }

    /** Series the directory holds. */
    public int maxSeries() {
        return seriesChunks * SERIES_PER_CHUNK;
    }

    public int seriesChunks() {
        return seriesChunks;
    }

    /** Where the series directory starts. */
    public int seriesDirectoryOffset() {
        return FAMILY_DIRECTORY_OFFSET + 8 * maxFamilies;
    }

    /** Bytes of header and directories at the start of segment 0; records follow. */
    public int headerLength() {
        return align(seriesDirectoryOffset() + 8 * seriesChunks, 64);
    }

    /** Bytes of the header of a histogram whose family has {@code classicBounds} classic upper bounds. */
    public static int histogramHeaderLength(int classicBounds) {
        return HISTOGRAM_CLASSIC_OFFSET + 8 * (classicBounds + 1);
    }

    /** {@code value} rounded up to a multiple of {@code alignment} (a power of two). */
    static int align(int value, int alignment) {
        return (value + alignment - 1) & -alignment;
    }
}
