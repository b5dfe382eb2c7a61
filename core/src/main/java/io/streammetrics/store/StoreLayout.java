package io.streammetrics.store;

/**
 * Byte layout of the metric store, shared by the writer ({@link MetricStore}) and by {@link StoreReader}, which may
 * run in another process over the same memory-mapped file. All integers are little-endian (native order on the
 * platforms the JDK runs Agrona on); strings are a 4-byte length followed by UTF-8 bytes.
 *
 * <pre>
 *  0                   4096            + maxFamilies * 1280        + maxSeries * 512          + maxSeries * 64
 *  +-------------------+---------------+---------------------------+--------------------------+---------------------
 *  | header            | family records | series metadata records  | series value slots       | histogram records
 *  +-------------------+---------------+---------------------------+--------------------------+---------------------
 *
 *  Header                                   Family record (1280 bytes)
 *    0  int  magic 0x534D5354 ("SMST")         0  int  state (0 free, 1 live; written last, release)
 *    4  int  layout version                   4  int  metric type code (see MetricStore.TYPE_*)
 *    8  int  max families                     8  int  label count
 *   12  int  max series                      12  int  classic upper bound count n (0 unless histogram or timer)
 *   16  int  max histograms                  16  str  name, unit, help (help cut to fit), label names, up to 1024
 *   20  int  histogram counts length       1024  double[n] classic upper bounds, exported units (seconds for
 *   24  long histogram lowest value                timers), without +Inf; room for 32 (ClassicBuckets)
 *   32  long histogram highest value
 *   40  int  histogram significant digits  Series metadata record (512 bytes)
 *   44  int  family count (release)            0  int  state (0 free, 1 live; written last, release)
 *   48  int  series count (release)            4  int  family index
 *   52  int  histogram count (release)         8  int  histogram index (-1 if not a histogram)
 *   56  long start time, epoch millis         12  int  label count
 *   64  long process id of the writer         16  long created time, epoch millis
 *   72  long heartbeat, epoch millis          24  str  label values, in the family's label order
 *   80  int  state (0 running, 1 closed)
 *                                          Series value slot (64 bytes, one cache line)
 *                                              0  long counter integer part, or gauge value as double bits
 *                                              8  long counter fractional part as double bits
 *                                             16  long number of updates applied
 *                                             24  long time of the last update, epoch millis
 *
 *  Histogram record (384 + 8 * counts length bytes)
 *    0  long version: odd while the single writer updates the record (a seqlock for readers in other processes)
 *    8  long total count        16 long sum of values     24 long min value      32 long max value
 *   40  int  lowest non-zero bucket index      44 int highest non-zero bucket index
 *   48  int  classic upper bound count n of the family (written at registration, never changed)
 *   64  long[n + 1] classic bucket counts, NOT cumulative: slot k &lt; n counts the values in (le[k-1], le[k]],
 *        slot n those above the last le (so the slots add up to the total count, which is the +Inf bucket);
 *        room for 33, the rest stays 0; placement as {@link ClassicBuckets} describes
 *  384  long[counts length] bucket counts, HdrHistogram's layout (see {@link HistogramLayout})
 * </pre>
 */
public final class StoreLayout {
    /** Magic number at offset 0: "SMST". */
    public static final int MAGIC = 0x534D5354;
    /** Version of this layout; readers refuse other versions. */
    public static final int LAYOUT_VERSION = 2;

    public static final int HEADER_LENGTH = 4096;
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int MAX_FAMILIES_OFFSET = 8;
    public static final int MAX_SERIES_OFFSET = 12;
    public static final int MAX_HISTOGRAMS_OFFSET = 16;
    public static final int COUNTS_LENGTH_OFFSET = 20;
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

    public static final int FAMILY_STATE_OFFSET = 0;
    public static final int FAMILY_TYPE_OFFSET = 4;
    public static final int FAMILY_LABEL_COUNT_OFFSET = 8;
    public static final int FAMILY_CLASSIC_COUNT_OFFSET = 12;
    public static final int FAMILY_TEXT_OFFSET = 16;
    /** Where the family's text ends and its classic upper bounds begin. */
    public static final int FAMILY_CLASSIC_BOUNDS_OFFSET = 1024;
    public static final int FAMILY_RECORD_LENGTH = FAMILY_CLASSIC_BOUNDS_OFFSET + 8 * ClassicBuckets.MAX_UPPER_BOUNDS;

    public static final int SERIES_RECORD_LENGTH = 512;
    public static final int SERIES_STATE_OFFSET = 0;
    public static final int SERIES_FAMILY_OFFSET = 4;
    public static final int SERIES_HISTOGRAM_OFFSET = 8;
    public static final int SERIES_LABEL_COUNT_OFFSET = 12;
    public static final int SERIES_CREATED_OFFSET = 16;
    public static final int SERIES_TEXT_OFFSET = 24;

    public static final int VALUE_SLOT_LENGTH = 64;
    public static final int VALUE_LONG_OFFSET = 0;
    public static final int VALUE_DOUBLE_OFFSET = 8;
    public static final int VALUE_UPDATES_OFFSET = 16;
    public static final int VALUE_LAST_UPDATE_OFFSET = 24;

    public static final int HISTOGRAM_VERSION_OFFSET = 0;
    public static final int HISTOGRAM_COUNT_FIELD_OFFSET = 8;
    public static final int HISTOGRAM_SUM_OFFSET = 16;
    public static final int HISTOGRAM_MIN_OFFSET = 24;
    public static final int HISTOGRAM_MAX_OFFSET = 32;
    public static final int HISTOGRAM_LOW_INDEX_OFFSET = 40;
    public static final int HISTOGRAM_HIGH_INDEX_OFFSET = 44;
    public static final int HISTOGRAM_CLASSIC_COUNT_OFFSET = 48;
    public static final int HISTOGRAM_CLASSIC_OFFSET = 64;
    /** Classic bucket slots of a histogram record: one per upper bound and one for the values above the last. */
    public static final int HISTOGRAM_CLASSIC_SLOTS = ClassicBuckets.MAX_UPPER_BOUNDS + 1;
    /**
     * Where the HDR bucket counts start: everything before them (fields and classic counts, padded to a cache line)
     * is what the writer's shadow copy always takes.
     */
    public static final int HISTOGRAM_HEADER_LENGTH = (HISTOGRAM_CLASSIC_OFFSET + 8 * HISTOGRAM_CLASSIC_SLOTS + 63) & ~63;

    public static final int RECORD_LIVE = 1;
    public static final int STATE_RUNNING = 0;
    public static final int STATE_CLOSED = 1;

    private final int maxFamilies;
    private final int maxSeries;
    private final int maxHistograms;
    private final int countsLength;

    /** Offsets for a store of the given capacities. */
    public StoreLayout(int maxFamilies, int maxSeries, int maxHistograms, int countsLength) {
        this.maxFamilies = maxFamilies;
        this.maxSeries = maxSeries;
        this.maxHistograms = maxHistograms;
        this.countsLength = countsLength;
    }

    public int maxFamilies() {
        return maxFamilies;
    }

    public int maxSeries() {
        return maxSeries;
    }

    public int maxHistograms() {
        return maxHistograms;
    }

    public int countsLength() {
        return countsLength;
    }

    public long familyOffset(int familyIndex) {
        return HEADER_LENGTH + (long) familyIndex * FAMILY_RECORD_LENGTH;
    }

    public long seriesOffset(int seriesId) {
        return HEADER_LENGTH + (long) maxFamilies * FAMILY_RECORD_LENGTH + (long) seriesId * SERIES_RECORD_LENGTH;
    }

    public long valueOffset(int seriesId) {
        return HEADER_LENGTH + (long) maxFamilies * FAMILY_RECORD_LENGTH + (long) maxSeries * SERIES_RECORD_LENGTH
                + (long) seriesId * VALUE_SLOT_LENGTH;
    }

    public long histogramRecordLength() {
        return HISTOGRAM_HEADER_LENGTH + 8L * countsLength;
    }

    public long histogramOffset(int histogramIndex) {
        return HEADER_LENGTH + (long) maxFamilies * FAMILY_RECORD_LENGTH
                + (long) maxSeries * (SERIES_RECORD_LENGTH + VALUE_SLOT_LENGTH)
                + histogramIndex * histogramRecordLength();
    }

    /** Total bytes of a store with these capacities. */
    public long totalLength() {
        return histogramOffset(maxHistograms);
    }
}
