package io.streammetrics;

import io.streammetrics.internal.registry.MetricRegistry;
import io.streammetrics.internal.store.MetricStore;
import io.streammetrics.metadata.SeriesMetadata;
import io.streammetrics.metric.Timer;
import io.streammetrics.metric.TimerFamily;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.FamilySnapshot;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.snapshot.SeriesPoint;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.streammetrics.EngineTestSupport.dropped;
import static io.streammetrics.EngineTestSupport.gauge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Capacity is a memory limit, not a count fixed at build (issue 12): the default engine takes 10,000 timer series
 * without a setting, and a store whose limit is reached routes new label sets to the overflow series, loudly.
 */
class StoreMemoryTest {
    private static final int SERIES = 10_000;

    @Test
    void theDefaultEngineTakesTenThousandTimerSeriesWithNoneInOverflow() {
        try (MetricsEngine engine = MetricsEngine.builder().build().start()) {
            TimerFamily family = engine.timer("stage_latency").labelNames("partition").register();
            List<Timer> timers = new ArrayList<>(SERIES);
            for (int i = 0; i < SERIES; i++) {
                Timer timer = family.labels("p" + i);
                timers.add(timer);
                for (int v = 0; v < 20; v++) {
                    timer.record(300_000L + 1_000L * ((i * 31L + v * 17L) % 4_000));
                }
            }
            MetricsSnapshot snapshot = engine.snapshot();
            FamilySnapshot latency = snapshot.family("stage_latency");
            assertEquals(SERIES, latency.points().size());
            long recorded = 0;
            for (SeriesPoint point : latency.points()) {
                assertFalse(point.isOverflow(), "a series went to overflow: " + point);
                recorded += ((HistogramPoint) point).count();
            }
            // Under the default DROP policy a burst that outruns a descheduled aggregator may shed records, counted.
            assertEquals(20L * SERIES, recorded + dropped(snapshot, "ring_full"));
            FamilySnapshot overflow = snapshot.family("streammetrics_cardinality_overflow");
            assertTrue(overflow.points().stream().noneMatch(p -> p.labelValues().contains("stage_latency")),
                    "no lookup of stage_latency was routed to overflow");
            // Taken as used: the old store reserved about 750 MB for 10,000 histograms at build.
            assertTrue(engine.store().bytesTaken() < 64L << 20, engine.store().bytesTaken() + " bytes taken");
        }
    }

    @Test
    void whenTheMemoryLimitIsReachedNewLabelSetsGoToOverflowWithOneWarning() {
        List<LogRecord> warnings = new ArrayList<>();
        Logger logger = Logger.getLogger(MetricRegistry.class.getName());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    synchronized (warnings) {
                        warnings.add(record);
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false)
                .storeMemoryLimit(MetricStore.MIN_MEMORY_LIMIT).build().start()) {
            TimerFamily family = engine.timer("tenant_latency").labelNames("tenant").register();
            List<Timer> own = new ArrayList<>();
            Timer overflowed = null;
            for (int i = 0; i < 100_000 && overflowed == null; i++) {
                Timer timer = family.labels("t" + i);
                List<SeriesMetadata> registered = engine.registry().seriesOf(engine.registry().family("tenant_latency"));
                if (registered.get(registered.size() - 1).isOverflow()) {
                    overflowed = timer;
                } else {
                    own.add(timer);
                    // Wide values: the histograms' count blocks take memory too.
                    timer.record(1_000L + i);
                    timer.record(50_000L + i);
                }
            }
            assertTrue(overflowed != null, "a 1 MiB store must fill up");
            assertTrue(own.size() > 100, "the store had room for " + own.size() + " series");
            for (int i = 0; i < 5; i++) {
                family.labels("late" + i).record(42);
            }
            own.get(0).record(7);

            MetricsSnapshot snapshot = engine.snapshot();
            List<SeriesPoint> points = snapshot.family("tenant_latency").points();
            HistogramPoint overflow = (HistogramPoint) points.stream().filter(SeriesPoint::isOverflow).findFirst()
                    .orElseThrow();
            assertEquals(5, overflow.count(), "the later label sets' records are in the overflow series");
            assertEquals(own.size() + 1, points.size());
            CounterPoint lookups = (CounterPoint) snapshot.family("streammetrics_cardinality_overflow").points().stream()
                    .filter(p -> p.labelValues().equals(List.of("tenant_latency"))).findFirst().orElseThrow();
            assertEquals(6, lookups.longValue(), "every lookup routed to overflow is counted");
            // Registration stops at the limit less its reserve; histograms already registered may still take pages.
            assertEquals(engine.store().bytesTaken(), gauge(snapshot, "streammetrics_store_bytes").value());
            assertEquals(MetricStore.MIN_MEMORY_LIMIT, gauge(snapshot, "streammetrics_store_limit_bytes").value());

            List<LogRecord> mine;
            synchronized (warnings) {
                mine = warnings.stream().filter(r -> r.getMessage().contains("tenant_latency")).toList();
            }
            assertEquals(1, mine.size(), "one WARNING for the family: " + mine);
            String message = mine.get(0).getMessage();
            assertTrue(message.contains("memory limit") && message.contains("MetricsEngine.Builder.storeMemoryLimit")
                    && message.contains("tenant_latency{otel_metric_overflow=\"true\"}")
                    && message.contains("streammetrics_cardinality_overflow_total{metric=\"tenant_latency\"}"),
                    message);
        } finally {
            logger.removeHandler(handler);
        }
    }
}
