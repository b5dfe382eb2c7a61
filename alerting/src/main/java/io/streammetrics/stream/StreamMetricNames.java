package io.streammetrics.stream;

/**
 * The family names {@link StreamMetrics} registers, as passed to the engine's builders: a counter's {@code _total} is
 * dropped from the family name and added back by the exporters; the other names are exported as they are (timers and
 * gauges with a unit already end with it). Rules, dashboards and tests refer to these constants.
 */
public final class StreamMetricNames {
    public static final String RECORDS_PROCESSED = "stream_records_processed_total";
    /** Without a unit on purpose: with {@code Unit.BYTES} the exporters would name it {@code ..._bytes_total}. */
    public static final String BYTES_PROCESSED = "stream_bytes_processed_total";
    public static final String PROCESSING_LATENCY = "stream_processing_latency_seconds";
    public static final String END_TO_END_LATENCY = "stream_end_to_end_latency_seconds";
    public static final String QUEUE_WAIT = "stream_queue_wait_seconds";
    public static final String ERRORS = "stream_errors_total";
    /** The label of {@link #ERRORS} that names the error type. */
    public static final String ERROR_TYPE_LABEL = "error_type";
    public static final String RETRIES = "stream_retries_total";
    public static final String QUEUE_SIZE = "stream_queue_size";
    public static final String CONSUMER_LAG = "stream_consumer_lag";
    public static final String WATERMARK_LAG = "stream_watermark_lag_seconds";
    public static final String DATA_COMPLETENESS = "stream_data_completeness_ratio";
    public static final String DUPLICATE_RECORDS = "stream_duplicate_records_total";
    public static final String OUT_OF_ORDER_RECORDS = "stream_out_of_order_records_total";
    public static final String LATE_RECORDS = "stream_late_records_total";
    public static final String WINDOW_FIRES = "stream_window_fires_total";
    public static final String WINDOW_LATE_DROPS = "stream_window_late_drops_total";
    public static final String JOIN_MATCHES = "stream_join_matches_total";
    public static final String JOIN_MISSES = "stream_join_misses_total";
    public static final String STATE_SIZE = "stream_state_size_bytes";

    private StreamMetricNames() {
    }
}
