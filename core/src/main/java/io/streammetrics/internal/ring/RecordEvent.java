package io.streammetrics.internal.ring;

/**
 * One record event: which series, what to do, and the value. Producers write it into a claimed slot of their ring
 * (two longs, see {@link ProducerRing}); the aggregator reads it back through one reusable instance of this class
 * after the sequencer's release/acquire handshake, so the fields need no ordering of their own.
 */
public final class RecordEvent {
    /** Counter integer increment; value is the increment. */
    public static final int COUNTER_ADD = 1;
    /** Counter fractional increment; value holds the double's raw bits. */
    public static final int COUNTER_ADD_DOUBLE = 2;
    /** Gauge set; value holds the double's raw bits. */
    public static final int GAUGE_SET = 3;
    /** Gauge add; value holds the double's raw bits. */
    public static final int GAUGE_ADD = 4;
    /**
     * Histogram record; value is the recorded value. The operation word carries the histogram's record index in its
     * upper bits ({@link #histogramOperation(int)}), so the aggregator needs no lookup table that registration would
     * have to publish to it separately.
     */
    public static final int HISTOGRAM_RECORD = 5;

    private static final int OPERATION_BITS = 8;
    private static final int OPERATION_MASK = (1 << OPERATION_BITS) - 1;
    /** Largest histogram record index an operation word can carry. */
    public static final int MAX_HISTOGRAM_INDEX = (1 << (31 - OPERATION_BITS)) - 1;

    int seriesId;
    int operation;
    long value;

    /** The operation word for recording into histogram record {@code histogramIndex}. */
    public static int histogramOperation(int histogramIndex) {
        return HISTOGRAM_RECORD | (histogramIndex << OPERATION_BITS);
    }

    /** The operation code of an operation word. */
    public static int operationCode(int operation) {
        return operation & OPERATION_MASK;
    }

    /** The histogram record index of a {@link #HISTOGRAM_RECORD} operation word. */
    public static int histogramIndex(int operation) {
        return operation >>> OPERATION_BITS;
    }

    public int seriesId() {
        return seriesId;
    }

    public int operation() {
        return operation;
    }

    public long value() {
        return value;
    }
}
