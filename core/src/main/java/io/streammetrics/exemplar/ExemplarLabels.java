package io.streammetrics.exemplar;

import java.util.Map;

/**
 * Extra exemplar labels (besides {@code trace_id} and {@code span_id}), resolved once with
 * {@code MetricsEngine#exemplarLabels(String...)} and passed to a record with an exemplar: the record path carries
 * only the store offset of their record, so passing them allocates nothing. Keep and reuse them as label handles are.
 * Immutable.
 */
public final class ExemplarLabels {
    /** No extra labels. */
    public static final ExemplarLabels NONE = new ExemplarLabels(Map.of(), 0);

    /**
     * OpenMetrics allows 128 UTF-8 characters of exemplar label names and values together; {@code trace_id},
     * {@code span_id} and their 32 and 16 hex digits take 63 of them.
     */
    public static final int MAX_CHARACTERS = 128 - 63;

    private final Map<String, String> labels;
    private final long storeOffset;

    /** For the engine: {@code storeOffset} is where the labels' record lies in the store (0 for none). */
    public ExemplarLabels(Map<String, String> labels, long storeOffset) {
        this.labels = labels;
        this.storeOffset = storeOffset;
    }

    /** The labels, unmodifiable, in the order given. */
    public Map<String, String> labels() {
        return labels;
    }

    /** Where the store keeps these labels (0: none); what a record carries. */
    public long storeOffset() {
        return storeOffset;
    }

    @Override
    public String toString() {
        return "ExemplarLabels" + labels;
    }
}
