package io.streammetrics.stream;

import io.streammetrics.BackPressure;
import io.streammetrics.EngineTestSupport.ManualClock;
import io.streammetrics.MetricsEngine;
import io.streammetrics.common.MetricType;
import io.streammetrics.common.Unit;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.Gauge;
import io.streammetrics.snapshot.FamilySnapshot;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.MetricsSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.streammetrics.EngineTestSupport.counter;
import static io.streammetrics.EngineTestSupport.counterLong;
import static io.streammetrics.EngineTestSupport.family;
import static io.streammetrics.EngineTestSupport.gauge;
import static io.streammetrics.EngineTestSupport.histogram;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every facade method lands in its family, under the stage's labels, in the family's unit. */
class StreamMetricsTest {
    private static final String[] STAGE = {"orders", "parse", "3", "eu"};
    private static final List<String> STAGE_LABELS = List.of("pipeline", "stage", "partition", "region");

    private final ManualClock clock = new ManualClock(1_000_000_000L);
    private MetricsEngine engine;
    private StreamMetrics stage;

    @BeforeEach
    void setUp() {
        engine = MetricsEngine.builder().clock(clock).backPressure(BackPressure.BLOCK).maxHistograms(16).build().start();
        stage = StreamMetrics.builder(engine).pipeline("orders").stage("parse").partition("3").label("region", "eu")
                .build();
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    /** The family by its registered name (a counter's without {@code _total}). */
    private static FamilySnapshot familyOf(MetricsSnapshot snapshot, String name) {
        return family(snapshot, name.endsWith("_total") ? name.substring(0, name.length() - 6) : name);
    }

    private static long total(MetricsSnapshot snapshot, String name, String... labelValues) {
        return counterLong(snapshot, familyOf(snapshot, name).name(), labelValues);
    }

    private static HistogramPoint timer(MetricsSnapshot snapshot, String name) {
        FamilySnapshot family = familyOf(snapshot, name);
        assertEquals(MetricType.TIMER, family.type(), name);
        assertEquals(Unit.SECONDS, family.unit(), name);
        return histogram(snapshot, name, STAGE);
    }

    @Test
    void throughputCountsRecordsAndBytes() {
        stage.recordProcessed();
        stage.recordProcessed(100);
        stage.recordProcessedBatch(10, 1_000);
        MetricsSnapshot snapshot = engine.snapshot();
        assertEquals(12, total(snapshot, StreamMetricNames.RECORDS_PROCESSED, STAGE));
        assertEquals(1_100, total(snapshot, StreamMetricNames.BYTES_PROCESSED, STAGE));
        FamilySnapshot records = familyOf(snapshot, StreamMetricNames.RECORDS_PROCESSED);
        assertEquals(MetricType.COUNTER, records.type());
        assertEquals(STAGE_LABELS, records.labelNames());
        assertEquals("stream_records_processed", records.name(), "the exporters add _total back");
    }

    @Test
    void latenciesAreTimersInNanosecondsExportedAsSeconds() {
        long start = stage.startProcessing();
        clock.advance(TimeUnit.MILLISECONDS.toNanos(2));
        stage.recordProcessingSince(start);
        stage.recordProcessingNanos(500);
        stage.recordEndToEndFromEpochMillis(ManualClock.EPOCH_MILLIS - 250);
        stage.recordEndToEndFromEpochNanos(ManualClock.EPOCH_MILLIS * 1_000_000L - 3_000_000L);
        stage.recordQueueWaitNanos(7_000);

        MetricsSnapshot snapshot = engine.snapshot();
        HistogramPoint processing = timer(snapshot, StreamMetricNames.PROCESSING_LATENCY);
        assertEquals(2, processing.count());
        assertEquals(2_000_000L + 500, processing.sum());
        HistogramPoint endToEnd = timer(snapshot, StreamMetricNames.END_TO_END_LATENCY);
        assertEquals(2, endToEnd.count());
        assertEquals(250_000_000L, endToEnd.max());
        assertEquals(3_000_000L, endToEnd.min());
        HistogramPoint queueWait = timer(snapshot, StreamMetricNames.QUEUE_WAIT);
        assertEquals(1, queueWait.count());
        assertEquals(7_000, queueWait.sum());
    }

    @Test
    void anEventTimestampInTheFutureIsRejectedAndCounted() {
        stage.recordEndToEndFromEpochMillis(ManualClock.EPOCH_MILLIS + 10);
        MetricsSnapshot snapshot = engine.snapshot();
        assertEquals(0, timer(snapshot, StreamMetricNames.END_TO_END_LATENCY).count());
        assertEquals(1, counterLong(snapshot, "streammetrics_values_rejected", "negative"));
    }

    @Test
    void errorTypesAreCachedHandlesOfOneFamily() {
        Counter parse = stage.errorType("parse");
        assertSame(parse, stage.errorType("parse"), "the same type gives the same handle");
        parse.increment();
        parse.increment();
        stage.errorType("schema").increment();
        stage.recordRetry();

        MetricsSnapshot snapshot = engine.snapshot();
        FamilySnapshot errors = familyOf(snapshot, StreamMetricNames.ERRORS);
        assertEquals(List.of("pipeline", "stage", "partition", "region", "error_type"), errors.labelNames());
        assertEquals(2, total(snapshot, StreamMetricNames.ERRORS, "orders", "parse", "3", "eu", "parse"));
        assertEquals(1, total(snapshot, StreamMetricNames.ERRORS, "orders", "parse", "3", "eu", "schema"));
        assertEquals(2, errors.points().size());
        assertEquals(1, total(snapshot, StreamMetricNames.RETRIES, STAGE));
    }

    @Test
    void errorTypesBeyondTheCacheAreStillCounted() {
        for (int i = 0; i < StreamMetrics.MAX_CACHED_ERROR_TYPES + 5; i++) {
            stage.errorType("type_" + i).increment();
        }
        Counter beyond = stage.errorType("type_" + (StreamMetrics.MAX_CACHED_ERROR_TYPES + 1));
        beyond.increment();
        assertEquals(beyond.seriesId(), stage.errorType("type_" + (StreamMetrics.MAX_CACHED_ERROR_TYPES + 1)).seriesId(),
                "an uncached type still resolves to its series");
        MetricsSnapshot snapshot = engine.snapshot();
        assertEquals(2, total(snapshot, StreamMetricNames.ERRORS, "orders", "parse", "3", "eu",
                "type_" + (StreamMetrics.MAX_CACHED_ERROR_TYPES + 1)));
    }

    @Test
    void backlogGaugesAreSetOrSampled() {
        stage.setQueueSize(42);
        stage.setConsumerLag(1_234);
        stage.setWatermark(ManualClock.EPOCH_MILLIS - 1_500);
        MetricsSnapshot set = engine.snapshot();
        assertEquals(42.0, gauge(set, StreamMetricNames.QUEUE_SIZE, STAGE).value());
        assertEquals(1_234.0, gauge(set, StreamMetricNames.CONSUMER_LAG, STAGE).value());
        assertEquals(1.5, gauge(set, StreamMetricNames.WATERMARK_LAG, STAGE).value());
        assertEquals(Unit.SECONDS, familyOf(set, StreamMetricNames.WATERMARK_LAG).unit());

        AtomicLong queue = new AtomicLong(7);
        stage.queueSizeCallback(queue::get);
        stage.consumerLagCallback(() -> 99);
        queue.set(8);
        MetricsSnapshot sampled = engine.snapshot();
        assertEquals(8.0, gauge(sampled, StreamMetricNames.QUEUE_SIZE, STAGE).value());
        assertEquals(99.0, gauge(sampled, StreamMetricNames.CONSUMER_LAG, STAGE).value());
    }

    @Test
    void dataQualityWindowsAndJoins() {
        stage.setCompleteness(0.97);
        stage.recordDuplicate();
        stage.recordOutOfOrder();
        stage.recordOutOfOrder();
        stage.recordLate();
        stage.recordWindowFired();
        stage.recordWindowLateDrop();
        stage.recordJoinMatch();
        stage.recordJoinMatch();
        stage.recordJoinMiss();
        stage.setStateSizeBytes(4_096);

        MetricsSnapshot snapshot = engine.snapshot();
        assertEquals(0.97, gauge(snapshot, StreamMetricNames.DATA_COMPLETENESS, STAGE).value());
        assertEquals(Unit.RATIO, familyOf(snapshot, StreamMetricNames.DATA_COMPLETENESS).unit());
        assertEquals(1, total(snapshot, StreamMetricNames.DUPLICATE_RECORDS, STAGE));
        assertEquals(2, total(snapshot, StreamMetricNames.OUT_OF_ORDER_RECORDS, STAGE));
        assertEquals(1, total(snapshot, StreamMetricNames.LATE_RECORDS, STAGE));
        assertEquals(1, total(snapshot, StreamMetricNames.WINDOW_FIRES, STAGE));
        assertEquals(1, total(snapshot, StreamMetricNames.WINDOW_LATE_DROPS, STAGE));
        assertEquals(2, total(snapshot, StreamMetricNames.JOIN_MATCHES, STAGE));
        assertEquals(1, total(snapshot, StreamMetricNames.JOIN_MISSES, STAGE));
        assertEquals(4_096.0, gauge(snapshot, StreamMetricNames.STATE_SIZE, STAGE).value());
        assertEquals(Unit.BYTES, familyOf(snapshot, StreamMetricNames.STATE_SIZE).unit());

        stage.stateSizeCallback(() -> 8_192);
        assertEquals(8_192.0, gauge(engine.snapshot(), StreamMetricNames.STATE_SIZE, STAGE).value());
    }

    @Test
    void businessMetricsCarryTheStageLabels() {
        Counter transactions = stage.counter("orders_transactions_total", "Transactions processed.");
        Counter revenue = stage.counter("orders_revenue_total", "Revenue processed, in euros.");
        Gauge openOrders = stage.gauge("orders_open", "Orders not yet settled.");
        stage.gaugeCallback("orders_active_users", "Users with an open session.", () -> 17);
        transactions.add(3);
        revenue.add(19.99);
        openOrders.set(5);

        MetricsSnapshot snapshot = engine.snapshot();
        assertEquals(3, counterLong(snapshot, "orders_transactions", STAGE));
        assertEquals(19.99, counter(snapshot, "orders_revenue", STAGE).value(), 1e-9);
        assertEquals(5.0, gauge(snapshot, "orders_open", STAGE).value());
        assertEquals(17.0, gauge(snapshot, "orders_active_users", STAGE).value());
        assertEquals(STAGE_LABELS, family(snapshot, "orders_open").labelNames());
    }

    @Test
    void stagesShareFamilies() {
        StreamMetrics enrich = StreamMetrics.builder(engine).pipeline("orders").stage("enrich").partition("3")
                .label("region", "eu").build();
        stage.recordProcessed();
        enrich.recordProcessedBatch(5, 0);
        MetricsSnapshot snapshot = engine.snapshot();
        assertEquals(1, total(snapshot, StreamMetricNames.RECORDS_PROCESSED, STAGE));
        assertEquals(5, total(snapshot, StreamMetricNames.RECORDS_PROCESSED, "orders", "enrich", "3", "eu"));
        assertEquals(2, familyOf(snapshot, StreamMetricNames.RECORDS_PROCESSED).points().size());
    }

    @Test
    void aStageWithOtherLabelNamesConflicts() {
        StreamMetrics.Builder withoutPartition = StreamMetrics.builder(engine).pipeline("orders").stage("sink");
        assertThrows(IllegalArgumentException.class, withoutPartition::build);
    }

    @Test
    void builderChecksItsInput() {
        assertThrows(IllegalStateException.class, () -> StreamMetrics.builder(engine).pipeline("p").build());
        assertThrows(IllegalStateException.class, () -> StreamMetrics.builder(engine).stage("s").build());
        assertThrows(IllegalArgumentException.class, () -> StreamMetrics.builder(engine).label("stage", "x"));
        assertThrows(IllegalArgumentException.class, () -> StreamMetrics.builder(engine).label("error_type", "x"));
        assertThrows(NullPointerException.class, () -> StreamMetrics.builder(null));
        assertNull(engine.snapshot().family("stream_records_processed_total"), "no family keeps its _total");
        assertEquals(List.of(STAGE), stage.labelValues());
        assertEquals(STAGE_LABELS, stage.labelNames());
    }
}
