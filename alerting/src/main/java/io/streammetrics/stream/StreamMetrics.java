package io.streammetrics.stream;

import io.streammetrics.MetricsEngine;
import io.streammetrics.alert.rule.RuleGroup;
import io.streammetrics.common.EngineClock;
import io.streammetrics.common.Unit;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.CounterFamily;
import io.streammetrics.metric.Gauge;
import io.streammetrics.metric.GaugeFamily;
import io.streammetrics.metric.Timer;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * The standard metrics of one stream-processing stage, recorded on handles resolved once when the stage is built:
 * every {@code record...}/{@code set...} method is one record on a cached handle, with no lookup and no allocation.
 *
 * <pre>{@code
 * StreamMetrics parse = StreamMetrics.builder(engine).pipeline("orders").stage("parse").partition("3").build();
 * Counter malformed = parse.errorType("malformed");        // resolve once, keep it
 * long start = parse.startProcessing();
 * ...
 * parse.recordProcessed(record.length);
 * parse.recordProcessingSince(start);
 * parse.recordEndToEndFromEpochMillis(record.timestamp());
 * }</pre>
 *
 * <p>Every family carries the stage's labels: {@code pipeline}, {@code stage}, {@code partition} when given, then the
 * extra constant labels in the order they were added. Stages that share a family name share the family, so stages of
 * one engine must use the same label names (a mismatch fails at {@link Builder#build()} with the registry's message).
 * Families (exported names; see {@link StreamMetricNames}):
 * <ul>
 *   <li>throughput: {@code stream_records_processed_total}, {@code stream_bytes_processed_total} (counters; rates come
 *       from windows over them, not from the record call);</li>
 *   <li>latency: {@code stream_processing_latency_seconds}, {@code stream_end_to_end_latency_seconds},
 *       {@code stream_queue_wait_seconds} (timers);</li>
 *   <li>errors: {@code stream_errors_total{error_type}}, {@code stream_retries_total}. The error ratio is not kept
 *       here: it is {@code errors / records} over a window, which the rule evaluator derives from the two counters;
 *       </li>
 *   <li>backlog: {@code stream_queue_size}, {@code stream_consumer_lag} (records),
 *       {@code stream_watermark_lag_seconds} (gauges);</li>
 *   <li>data quality: {@code stream_data_completeness_ratio} (gauge), {@code stream_duplicate_records_total},
 *       {@code stream_out_of_order_records_total}, {@code stream_late_records_total};</li>
 *   <li>windows and joins: {@code stream_window_fires_total}, {@code stream_window_late_drops_total},
 *       {@code stream_join_matches_total}, {@code stream_join_misses_total}, {@code stream_state_size_bytes};</li>
 *   <li>business metrics: any counter or gauge through {@link #counter(String, String)} and
 *       {@link #gauge(String, String)}, under the same labels.</li>
 * </ul>
 *
 * <p><b>Error types.</b> {@link #errorType(String)} returns the counter of one error type, resolved once and cached by
 * this object, so that asking again returns the same handle. Types are open strings rather than a fixed enum because
 * each stage has its own failure modes (parse, schema, timeout, sink...); the family's cardinality limit bounds what
 * an unbounded source of types (exception messages) could do. Keep the returned handle on the hot path.
 *
 * <p>Thread-safe: several threads may record on one stage.
 */
public final class StreamMetrics {
    /** Error types this object caches handles for; more are still counted, each call resolving its handle. */
    static final int MAX_CACHED_ERROR_TYPES = 1024;

    private final MetricsEngine engine;
    private final EngineClock clock;
    private final String[] labelNames;
    private final String[] labelValues;
    private final Counter records;
    private final Counter bytes;
    private final Timer processing;
    private final Timer endToEnd;
    private final Timer queueWait;
    private final CounterFamily errors;
    private final Map<String, Counter> errorTypes = new ConcurrentHashMap<>();
    private final Counter retries;
    private final GaugeFamily queueSizeFamily;
    private final Gauge queueSize;
    private final GaugeFamily consumerLagFamily;
    private final Gauge consumerLag;
    private final Gauge watermarkLag;
    private final Gauge completeness;
    private final Counter duplicates;
    private final Counter outOfOrder;
    private final Counter late;
    private final Counter windowFires;
    private final Counter windowLateDrops;
    private final Counter joinMatches;
    private final Counter joinMisses;
    private final GaugeFamily stateSizeFamily;
    private final Gauge stateSize;

    private StreamMetrics(Builder builder) {
        this.engine = builder.engine;
        this.clock = engine.clock();
        this.labelNames = builder.labels.keySet().toArray(new String[0]);
        this.labelValues = builder.labels.values().toArray(new String[0]);
        this.records = counter(StreamMetricNames.RECORDS_PROCESSED, "Records processed by the stage.");
        this.bytes = counter(StreamMetricNames.BYTES_PROCESSED, "Bytes of the records processed by the stage.");
        this.processing = timer(StreamMetricNames.PROCESSING_LATENCY, "Time the stage spent processing a record.");
        this.endToEnd = timer(StreamMetricNames.END_TO_END_LATENCY,
                "Time from a record's event timestamp to the end of its processing by the stage.");
        this.queueWait = timer(StreamMetricNames.QUEUE_WAIT, "Time a record waited in the stage's input queue.");
        this.errors = engine.counter(StreamMetricNames.ERRORS)
                .help("Records the stage failed to process, by error type.")
                .labelNames(with(labelNames, StreamMetricNames.ERROR_TYPE_LABEL)).register();
        this.retries = counter(StreamMetricNames.RETRIES, "Processing attempts the stage retried.");
        this.queueSizeFamily = gaugeFamily(StreamMetricNames.QUEUE_SIZE, "Records waiting in the stage's input queue.",
                null);
        this.queueSize = queueSizeFamily.labels(labelValues);
        this.consumerLagFamily = gaugeFamily(StreamMetricNames.CONSUMER_LAG,
                "Records the stage's consumer is behind the head of its source (offsets).", null);
        this.consumerLag = consumerLagFamily.labels(labelValues);
        this.watermarkLag = gaugeFamily(StreamMetricNames.WATERMARK_LAG,
                "How far the stage's event-time watermark is behind the wall clock.", Unit.SECONDS).labels(labelValues);
        this.completeness = gaugeFamily(StreamMetricNames.DATA_COMPLETENESS,
                "Share (0 to 1) of the expected data the stage received, as the stage measures it.", Unit.RATIO)
                .labels(labelValues);
        this.duplicates = counter(StreamMetricNames.DUPLICATE_RECORDS, "Duplicate records the stage detected.");
        this.outOfOrder = counter(StreamMetricNames.OUT_OF_ORDER_RECORDS,
                "Records that arrived out of event-time order.");
        this.late = counter(StreamMetricNames.LATE_RECORDS, "Records that arrived behind the watermark.");
        this.windowFires = counter(StreamMetricNames.WINDOW_FIRES, "Windows the stage fired.");
        this.windowLateDrops = counter(StreamMetricNames.WINDOW_LATE_DROPS,
                "Records dropped because their window had already closed.");
        this.joinMatches = counter(StreamMetricNames.JOIN_MATCHES, "Join lookups that found a partner record.");
        this.joinMisses = counter(StreamMetricNames.JOIN_MISSES, "Join lookups that found no partner record.");
        this.stateSizeFamily = gaugeFamily(StreamMetricNames.STATE_SIZE, "Size of the stage's window and join state.",
                Unit.BYTES);
        this.stateSize = stateSizeFamily.labels(labelValues);
    }

    /**
     * The default alert rules for stream processors (low throughput, high latency, error ratio, CPU, memory, queue
     * backlog, throughput anomaly) on this facade's metrics: see {@link StreamRules}.
     */
    public static List<RuleGroup> defaultRules() {
        return StreamRules.defaults();
    }

    /** Starts describing a stage recorded into {@code engine}. */
    public static Builder builder(MetricsEngine engine) {
        return new Builder(engine);
    }

    private Timer timer(String name, String help) {
        return engine.timer(name).help(help).labelNames(labelNames).register().labels(labelValues);
    }

    private GaugeFamily gaugeFamily(String name, String help, Unit unit) {
        GaugeFamily.Builder builder = engine.gauge(name).help(help).labelNames(labelNames);
        return (unit == null ? builder : builder.unit(unit)).register();
    }

    private static String[] with(String[] values, String last) {
        String[] result = Arrays.copyOf(values, values.length + 1);
        result[values.length] = last;
        return result;
    }

    // ------------------------------------------------------------------ throughput

    /**
     * Counts one processed record. Count every record the stage handled, failed ones too: the error ratio is
     * {@code stream_errors_total / stream_records_processed_total}, a share of what the stage handled.
     */
    public void recordProcessed() {
        records.increment();
    }

    /** Counts one processed record of {@code sizeBytes} bytes. */
    public void recordProcessed(long sizeBytes) {
        records.increment();
        bytes.add(sizeBytes);
    }

    /** Counts {@code count} processed records totalling {@code sizeBytes} bytes (a batch). */
    public void recordProcessedBatch(long count, long sizeBytes) {
        records.add(count);
        bytes.add(sizeBytes);
    }

    // ------------------------------------------------------------------ latency

    /** The engine clock's current time, to pass to {@link #recordProcessingSince(long)}. */
    public long startProcessing() {
        return processing.start();
    }

    /** Records the processing time elapsed since {@code startNanos}, a value from {@link #startProcessing()}. */
    public void recordProcessingSince(long startNanos) {
        processing.recordSince(startNanos);
    }

    /** Records a processing time in nanoseconds. */
    public void recordProcessingNanos(long nanos) {
        processing.record(nanos);
    }

    /**
     * {@link #recordProcessingSince(long)} with the record's trace context as an exemplar candidate (W3C trace id as
     * two longs, span id as one; see {@code Timer#recordWithExemplar}).
     */
    public void recordProcessingSinceWithExemplar(long startNanos, long traceIdHigh, long traceIdLow, long spanId) {
        processing.recordSinceWithExemplar(startNanos, traceIdHigh, traceIdLow, spanId);
    }

    /** {@link #recordProcessingNanos(long)} with the record's trace context as an exemplar candidate. */
    public void recordProcessingNanosWithExemplar(long nanos, long traceIdHigh, long traceIdLow, long spanId) {
        processing.recordWithExemplar(nanos, traceIdHigh, traceIdLow, spanId);
    }

    /**
     * Records the end-to-end latency of a record whose event timestamp is {@code eventEpochMillis} (milliseconds since
     * the epoch), measured against the engine's wall clock now. A timestamp in the future (producer clock ahead) is a
     * negative latency: the aggregator rejects it and counts it in {@code streammetrics_values_rejected_total}.
     */
    public void recordEndToEndFromEpochMillis(long eventEpochMillis) {
        endToEnd.record((clock.epochMillis() - eventEpochMillis) * 1_000_000L);
    }

    /** As {@link #recordEndToEndFromEpochMillis(long)}, for an event timestamp in nanoseconds since the epoch. */
    public void recordEndToEndFromEpochNanos(long eventEpochNanos) {
        endToEnd.record(clock.epochNanos() - eventEpochNanos);
    }

    /** Records how long a record waited in the stage's input queue, in nanoseconds. */
    public void recordQueueWaitNanos(long nanos) {
        queueWait.record(nanos);
    }

    // ------------------------------------------------------------------ errors

    /**
     * The counter of one error type ({@code stream_errors_total{error_type=...}}), resolved on the first call for that
     * type and cached: later calls return the same handle. Resolve at set-up time and keep the handle.
     */
    public Counter errorType(String errorType) {
        Objects.requireNonNull(errorType, "errorType");
        Counter counter = errorTypes.get(errorType);
        if (counter != null) {
            return counter;
        }
        if (errorTypes.size() >= MAX_CACHED_ERROR_TYPES) {
            // An unbounded source of types (messages, ids) must not grow this map without end; the family's
            // cardinality limit already sends such types to its overflow series.
            return errors.labels(with(labelValues, errorType));
        }
        return errorTypes.computeIfAbsent(errorType, type -> errors.labels(with(labelValues, type)));
    }

    /** Counts one retried processing attempt. */
    public void recordRetry() {
        retries.increment();
    }

    // ------------------------------------------------------------------ backlog

    /** Sets the number of records waiting in the stage's input queue. */
    public void setQueueSize(long size) {
        queueSize.set(size);
    }

    /** Samples the queue size from {@code size} (for example {@code queue::size}) at every snapshot instead. */
    public void queueSizeCallback(DoubleSupplier size) {
        queueSizeFamily.callback(size, labelValues);
    }

    /** Sets the consumer lag in records (the source's head offset minus the committed one). */
    public void setConsumerLag(long records) {
        consumerLag.set(records);
    }

    /** Samples the consumer lag from {@code lag} at every snapshot instead. */
    public void consumerLagCallback(DoubleSupplier lag) {
        consumerLagFamily.callback(lag, labelValues);
    }

    /** Sets the watermark lag from the stage's current watermark, in milliseconds since the epoch. */
    public void setWatermark(long watermarkEpochMillis) {
        watermarkLag.set((clock.epochMillis() - watermarkEpochMillis) / 1e3);
    }

    // ------------------------------------------------------------------ data quality

    /** Sets the share (0 to 1) of the expected data the stage received, for example fields present or sources seen. */
    public void setCompleteness(double ratio) {
        completeness.set(ratio);
    }

    /** Counts one duplicate record. */
    public void recordDuplicate() {
        duplicates.increment();
    }

    /** Counts one record that arrived out of event-time order. */
    public void recordOutOfOrder() {
        outOfOrder.increment();
    }

    /** Counts one record that arrived behind the watermark (whether or not its window still accepted it). */
    public void recordLate() {
        late.increment();
    }

    // ------------------------------------------------------------------ windows and joins

    /** Counts one window fired. */
    public void recordWindowFired() {
        windowFires.increment();
    }

    /** Counts one record dropped because its window had already closed. */
    public void recordWindowLateDrop() {
        windowLateDrops.increment();
    }

    /** Counts one join lookup that found its partner. */
    public void recordJoinMatch() {
        joinMatches.increment();
    }

    /** Counts one join lookup that found no partner. */
    public void recordJoinMiss() {
        joinMisses.increment();
    }

    /** Sets the size of the stage's window and join state, in bytes. */
    public void setStateSizeBytes(long bytes) {
        stateSize.set(bytes);
    }

    /** Samples the state size in bytes from {@code bytes} at every snapshot instead. */
    public void stateSizeCallback(DoubleSupplier bytes) {
        stateSizeFamily.callback(bytes, labelValues);
    }

    // ------------------------------------------------------------------ business metrics

    /**
     * A business counter (transactions, revenue) under this stage's labels: the handle of family {@code name}, which
     * stages share. Resolve at set-up time and keep it; {@code Counter.add(double)} takes amounts such as revenue.
     */
    public Counter counter(String name, String help) {
        return engine.counter(name).help(help).labelNames(labelNames).register().labels(labelValues);
    }

    /** A business gauge (active users, open orders) under this stage's labels; resolve at set-up time and keep it. */
    public Gauge gauge(String name, String help) {
        return gaugeFamily(name, help, null).labels(labelValues);
    }

    /** A business gauge under this stage's labels, sampled from {@code value} at every snapshot. */
    public void gaugeCallback(String name, String help, DoubleSupplier value) {
        gaugeFamily(name, help, null).callback(value, labelValues);
    }

    /** The stage's label names, in the order of {@link #labelValues()}. */
    public List<String> labelNames() {
        return List.of(labelNames);
    }

    /** The stage's label values. */
    public List<String> labelValues() {
        return List.of(labelValues);
    }

    /**
     * Builds a {@link StreamMetrics}: {@code pipeline} and {@code stage} are required; {@code partition} and extra
     * constant labels are optional.
     */
    public static final class Builder {
        private final MetricsEngine engine;
        private String pipeline;
        private String stage;
        private String partition;
        private final Map<String, String> extraLabels = new LinkedHashMap<>();
        private Map<String, String> labels;

        private Builder(MetricsEngine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
        }

        /** The pipeline (job, topology) the stage belongs to: label {@code pipeline}. */
        public Builder pipeline(String pipeline) {
            this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
            return this;
        }

        /** The stage (operator, processor): label {@code stage}. */
        public Builder stage(String stage) {
            this.stage = Objects.requireNonNull(stage, "stage");
            return this;
        }

        /** The partition this instance of the stage processes: label {@code partition}. */
        public Builder partition(String partition) {
            this.partition = Objects.requireNonNull(partition, "partition");
            return this;
        }

        /** An extra constant label on every family of the stage (for example {@code region}). */
        public Builder label(String name, String value) {
            Objects.requireNonNull(name, "label name");
            Objects.requireNonNull(value, "label value");
            if (List.of("pipeline", "stage", "partition", StreamMetricNames.ERROR_TYPE_LABEL).contains(name)) {
                throw new IllegalArgumentException("label '" + name + "' is set by StreamMetrics itself");
            }
            extraLabels.put(name, value);
            return this;
        }

        /**
         * Registers the stage's families (or joins those other stages registered) and resolves its handles.
         *
         * @throws IllegalStateException if pipeline or stage is missing
         * @throws IllegalArgumentException for invalid label names or values, or families registered with other labels
         */
        public StreamMetrics build() {
            if (pipeline == null || stage == null) {
                throw new IllegalStateException("StreamMetrics needs pipeline(...) and stage(...)");
            }
            labels = new LinkedHashMap<>();
            labels.put("pipeline", pipeline);
            labels.put("stage", stage);
            if (partition != null) {
                labels.put("partition", partition);
            }
            labels.putAll(extraLabels);
            return new StreamMetrics(this);
        }
    }
}
