package io.streammetrics;

import io.streammetrics.metadata.SeriesMetadata;
import io.streammetrics.common.Unit;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.CounterFamily;
import io.streammetrics.metric.Gauge;
import io.streammetrics.metric.GaugeFamily;
import io.streammetrics.metric.Histogram;
import io.streammetrics.metric.Timer;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.snapshot.SeriesPoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.streammetrics.EngineTestSupport.counterLong;
import static io.streammetrics.EngineTestSupport.dropped;
import static io.streammetrics.EngineTestSupport.family;
import static io.streammetrics.EngineTestSupport.gauge;
import static io.streammetrics.EngineTestSupport.histogram;
import static io.streammetrics.EngineTestSupport.rejected;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input fails loudly where it is written (registration, label lookup, builder) with a message naming the metric,
 * and never on the record path, where bad values are rejected or clamped by the aggregator and counted.
 */
class BadInputTest {
    private MetricsEngine engine;

    @BeforeEach
    void setUp() {
        // A small histogram area keeps building one engine per test cheap (the default store is ~25 MB to zero).
        engine = MetricsEngine.builder().maxHistograms(16).build().start();
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private static void assertIae(String expectedInMessage, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertNotNull(e.getMessage());
        assertTrue(e.getMessage().contains(expectedInMessage),
                () -> "message should name '" + expectedInMessage + "': " + e.getMessage());
    }

    // ------------------------------------------------------------------ metric names

    @ParameterizedTest
    @ValueSource(strings = {"1abc", "a-b", "__x", "foo_bucket", "x y", "é"})
    void invalidMetricNamesAreRejectedForEveryType(String name) {
        assertIae(name, () -> engine.counter(name).register());
        assertIae(name, () -> engine.gauge(name).register());
        assertIae(name, () -> engine.histogram(name).register());
        assertIae(name, () -> engine.timer(name).register());
    }

    @Test
    void emptyAndNullMetricNamesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> engine.counter("").register());
        assertThrows(IllegalArgumentException.class, () -> engine.gauge("").register());
        assertThrows(IllegalArgumentException.class, () -> engine.histogram("").register());
        assertThrows(IllegalArgumentException.class, () -> engine.timer("").register());
        assertThrows(IllegalArgumentException.class, () -> engine.counter(null).register());
        assertThrows(IllegalArgumentException.class, () -> engine.gauge(null).register());
        // A counter named just "_total" has an empty family name.
        assertThrows(IllegalArgumentException.class, () -> engine.counter("_total").register());
    }

    @ParameterizedTest
    @ValueSource(strings = {"x_created", "x_info", "x_total", "x_bucket"})
    void reservedSuffixesAreRejectedForNonCounters(String name) {
        assertIae(name, () -> engine.gauge(name).register());
        assertIae(name, () -> engine.histogram(name).register());
        assertIae(name, () -> engine.timer(name).register());
    }

    @Test
    void counterTotalSuffixIsDroppedFromTheFamilyName() {
        CounterFamily withSuffix = engine.counter("requests_total").register();
        assertEquals("requests", withSuffix.name());
        CounterFamily without = engine.counter("requests").register();
        assertEquals(withSuffix.labels().seriesId(), without.labels().seriesId());
        // The suffix that is dropped must not hide another reserved one.
        assertIae("x_created", () -> engine.counter("x_created_total").register());
        assertIae("x_created", () -> engine.counter("x_created").register());
        assertIae("requests_total", () -> engine.counter("requests_total_total").register());
    }

    // ------------------------------------------------------------------ label names

    @Test
    void leIsReservedOnHistogramsAndTimersOnly() {
        assertIae("latency_dist", () -> engine.histogram("latency_dist").labelNames("le").register());
        assertIae("latency_timer", () -> engine.timer("latency_timer").labelNames("path", "le").register());
        assertDoesNotThrow(() -> engine.counter("le_counter").labelNames("le").register().labels("x"));
        assertDoesNotThrow(() -> engine.gauge("le_gauge").labelNames("le").register().labels("x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"quantile", "__a", "a-b", "1a", "", "otel_metric_overflow"})
    void invalidLabelNamesAreRejectedForEveryType(String label) {
        assertIae("bad_labels_c", () -> engine.counter("bad_labels_c").labelNames(label).register());
        assertIae("bad_labels_g", () -> engine.gauge("bad_labels_g").labelNames("ok", label).register());
        assertIae("bad_labels_h", () -> engine.histogram("bad_labels_h").labelNames(label).register());
        assertIae("bad_labels_t", () -> engine.timer("bad_labels_t").labelNames(label, "ok").register());
        // Nothing was registered by the failed attempts.
        assertNull(engine.registry().family("bad_labels_c"));
        assertNull(engine.registry().family("bad_labels_h"));
    }

    @Test
    void duplicateLabelNamesAreRejected() {
        assertIae("dup_labels", () -> engine.counter("dup_labels").labelNames("a", "b", "a").register());
        assertIae("dup_labels_h", () -> engine.histogram("dup_labels_h").labelNames("a", "a").register());
    }

    // ------------------------------------------------------------------ conflicting registrations

    @Test
    void reRegistrationWithAnotherTypeIsRejected() {
        engine.counter("conflict_type").register();
        assertIae("conflict_type", () -> engine.gauge("conflict_type").register());
        assertIae("conflict_type", () -> engine.histogram("conflict_type").register());
        assertIae("conflict_type", () -> engine.timer("conflict_type").register());
        engine.histogram("conflict_dist").register();
        assertIae("conflict_dist", () -> engine.timer("conflict_dist").register());
        assertIae("conflict_dist", () -> engine.counter("conflict_dist_total").register());
    }

    @Test
    void reRegistrationWithOtherLabelsIsRejected() {
        engine.counter("conflict_labels").labelNames("a", "b").register();
        assertIae("conflict_labels", () -> engine.counter("conflict_labels").labelNames("a").register());
        assertIae("conflict_labels", () -> engine.counter("conflict_labels").labelNames("b", "a").register());
        assertIae("conflict_labels", () -> engine.counter("conflict_labels").register());
    }

    @Test
    void reRegistrationWithOtherUnitIsRejected() {
        engine.gauge("conflict_unit").unit(Unit.BYTES).register();
        assertIae("conflict_unit", () -> engine.gauge("conflict_unit").unit(Unit.SECONDS).register());
        assertIae("conflict_unit", () -> engine.gauge("conflict_unit").register());
    }

    @Test
    void sameRegistrationTwiceGivesTheSameSeries() {
        CounterFamily first = engine.counter("same_twice").labelNames("k").register();
        CounterFamily second = engine.counter("same_twice").labelNames("k").register();
        Counter a = first.labels("v");
        Counter b = second.labels("v");
        assertEquals(a.seriesId(), b.seriesId());
        assertSame(a, b);
        assertNotEquals(a.seriesId(), second.labels("w").seriesId());

        Histogram h1 = engine.histogram("same_twice_h").register().labels();
        Histogram h2 = engine.histogram("same_twice_h").register().labels();
        assertEquals(h1.seriesId(), h2.seriesId());

        h1.record(7);
        a.increment();
        b.increment();
        engine.close();
        MetricsSnapshot snapshot = engine.snapshot();
        assertEquals(2, counterLong(snapshot, "same_twice", "v"));
        assertEquals(1, family(snapshot, "same_twice_h").points().size());
        assertEquals(1, histogram(snapshot, "same_twice_h").count());
    }

    // ------------------------------------------------------------------ label values

    @Test
    void wrongLabelValuesAreRejected() {
        CounterFamily family = engine.counter("label_values").labelNames("a", "b").register();
        assertIae("label_values", () -> family.labels("x"));
        assertIae("label_values", () -> family.labels("x", "y", "z"));
        assertIae("label_values", () -> family.labels());
        assertIae("label_values", () -> family.labels("x", null));
        assertIae("label_values", () -> family.labels("x".repeat(600), "y"));
        assertIae("label_values", () -> family.labels("x".repeat(250), "y".repeat(250)));
        GaugeFamily gauges = engine.gauge("label_values_g").labelNames("a").register();
        assertIae("label_values_g", () -> gauges.callback(() -> 1.0, "x", "y"));
        assertIae("label_values_g", () -> gauges.labels((String) null));
        assertIae("label_values_h", () -> engine.histogram("label_values_h").labelNames("a").register()
                .labels("é".repeat(300)));
        // Nothing was registered by the failed lookups; a valid lookup still works.
        assertEquals(0, engine.registry().seriesOf(engine.registry().family("label_values")).size());
        assertDoesNotThrow(() -> family.labels("x", "y").increment());
    }

    // ------------------------------------------------------------------ capacity

    @Test
    void familyRegistrationOnAFullStoreThrowsIllegalState() {
        try (MetricsEngine small = MetricsEngine.builder().maxSeries(36).jvmMetrics(false).build()) {
            int registered = 0;
            IllegalStateException full = null;
            for (int i = 0; i < 36 && full == null; i++) {
                String name = "fill_" + i;
                try {
                    small.gauge(name).register().labels().set(i);
                    registered++;
                } catch (IllegalStateException e) {
                    full = e;
                    assertTrue(e.getMessage().contains(name), e.getMessage());
                }
            }
            assertNotNull(full, "a 36-series store must fill up");
            assertTrue(registered > 0, "the store had room for at least one family");
            IllegalStateException again = assertThrows(IllegalStateException.class,
                    () -> small.counter("one_more_total").labelNames("a").register());
            assertTrue(again.getMessage().contains("one_more"), again.getMessage());
            // What was registered still works.
            small.gauge("fill_0").register().labels().set(42);
            small.close();
            assertEquals(42.0, gauge(small.snapshot(), "fill_0").value());
        }
    }

    @Test
    void histogramRegistrationBeyondMaxHistogramsThrowsIllegalState() {
        try (MetricsEngine small = MetricsEngine.builder().maxHistograms(2).build()) {
            small.histogram("hist_a").register().labels();
            small.timer("hist_b").register().labels();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> small.histogram("hist_c").register());
            assertTrue(e.getMessage().contains("hist_c"), e.getMessage());
            IllegalStateException t = assertThrows(IllegalStateException.class, () -> small.timer("hist_d").register());
            assertTrue(t.getMessage().contains("hist_d"), t.getMessage());
            // Counters still fit.
            assertDoesNotThrow(() -> small.counter("still_fits_total").register());
        }
    }

    @Test
    void familyRegistrationBeyondMaxFamiliesThrowsIllegalState() {
        try (MetricsEngine small = MetricsEngine.builder().maxFamilies(24).jvmMetrics(false).build()) {
            IllegalStateException full = null;
            for (int i = 0; i < 24 && full == null; i++) {
                String name = "family_" + i;
                try {
                    small.counter(name).register();
                } catch (IllegalStateException e) {
                    full = e;
                    assertTrue(e.getMessage().contains(name), e.getMessage());
                }
            }
            assertNotNull(full, "a 24-family store must fill up");
        }
    }

    @Test
    void labelSetsBeyondTheCardinalityLimitGoToTheOverflowSeries() {
        CounterFamily family = engine.counter("limited_total").labelNames("user").cardinalityLimit(2).register();
        Counter a = family.labels("a");
        Counter b = family.labels("b");
        Counter c = family.labels("c");
        Counter d = family.labels("d");
        Counter cAgain = family.labels("c");
        assertNotEquals(a.seriesId(), b.seriesId());
        assertEquals(c.seriesId(), d.seriesId(), "every label set past the limit shares the overflow series");
        assertEquals(c.seriesId(), cAgain.seriesId());
        assertNotEquals(a.seriesId(), c.seriesId());
        assertNotEquals(b.seriesId(), c.seriesId());
        SeriesMetadata overflow = engine.registry().overflowSeries(engine.registry().family("limited"));
        assertNotNull(overflow);
        assertEquals(overflow.id(), c.seriesId());

        a.increment();
        b.add(2);
        c.add(10);
        d.add(20);
        cAgain.add(40);
        engine.close();
        MetricsSnapshot snapshot = engine.snapshot();
        assertEquals(1, counterLong(snapshot, "limited", "a"));
        assertEquals(2, counterLong(snapshot, "limited", "b"));
        assertNull(family(snapshot, "limited").point("c"), "an overflowed label set has no series of its own");
        SeriesPoint overflowPoint = family(snapshot, "limited").overflowPoint();
        assertNotNull(overflowPoint);
        assertTrue(overflowPoint.isOverflow());
        assertEquals(List.of(""), overflowPoint.labelValues());
        assertEquals(70, ((CounterPoint) overflowPoint).longValue());
        assertEquals(3, family(snapshot, "limited").points().size());
        // Three lookups (c, d, c again) were routed to the overflow series.
        assertEquals(3, counterLong(snapshot, "streammetrics_cardinality_overflow", "limited"));
    }

    @Test
    void labelSetsBeyondTheStoreCapacityGoToTheOverflowSeries() {
        try (MetricsEngine small = MetricsEngine.builder().maxSeries(40).jvmMetrics(false).build().start()) {
            Gauge g = small.gauge("capped_gauge").register().labels();
            CounterFamily family = small.counter("capped_total").labelNames("k").register();
            int distinct = 0;
            Counter overflowed = null;
            for (int i = 0; i < 40; i++) {
                Counter counter = family.labels("v" + i);
                SeriesMetadata overflow = small.registry().overflowSeries(small.registry().family("capped"));
                if (overflow != null && overflow.id() == counter.seriesId()) {
                    overflowed = counter;
                    break;
                }
                counter.increment();
                distinct++;
            }
            assertNotNull(overflowed, "a 40-series store must run out of series");
            assertTrue(distinct > 0, "the store had room for some label sets");
            // Further new label sets go to the same overflow series; known ones keep their own.
            Counter later = family.labels("later");
            assertEquals(overflowed.seriesId(), later.seriesId());
            assertNotEquals(overflowed.seriesId(), family.labels("v0").seriesId());
            overflowed.add(5);
            later.add(7);
            // A full store refuses new families, but what is registered still records.
            IllegalStateException full = assertThrows(IllegalStateException.class,
                    () -> small.gauge("capped_late").register());
            assertTrue(full.getMessage().contains("capped_late"), full.getMessage());
            g.set(3);

            small.close();
            MetricsSnapshot snapshot = small.snapshot();
            assertEquals(1, counterLong(snapshot, "capped", "v0"));
            SeriesPoint overflowPoint = family(snapshot, "capped").overflowPoint();
            assertNotNull(overflowPoint);
            assertTrue(overflowPoint.isOverflow());
            assertEquals(List.of(""), overflowPoint.labelValues());
            assertEquals(12, ((CounterPoint) overflowPoint).longValue());
            assertEquals(distinct + 1, family(snapshot, "capped").points().size());
            // Two lookups (the first overflowed label set and "later") were routed to the overflow series.
            assertEquals(2, counterLong(snapshot, "streammetrics_cardinality_overflow", "capped"));
            assertEquals(3.0, gauge(snapshot, "capped_gauge").value());
        }
    }

    // ------------------------------------------------------------------ bad values on the record path

    @Test
    void badValuesAreRejectedOrClampedAndCounted() {
        Counter counter = engine.counter("bad_values_total").register().labels();
        Gauge gauge = engine.gauge("bad_values_gauge").register().labels();
        Histogram histogram = engine.histogram("bad_values_hist").register().labels();
        Timer timer = engine.timer("bad_values_timer").register().labels();
        long highest = engine.histogramLayout().highestTrackableValue();

        assertDoesNotThrow(() -> {
            counter.add(5);
            counter.add(-1);
            counter.add(Double.NaN);
            counter.add(Double.POSITIVE_INFINITY);
            counter.add(-0.5);
            counter.add(2.5);

            gauge.set(3);
            gauge.set(Double.NaN);
            gauge.add(Double.POSITIVE_INFINITY);
            gauge.add(1);

            histogram.record(10);
            histogram.record(-5);
            histogram.record(Long.MAX_VALUE);

            timer.record(-1);
            timer.record(100);
        });
        engine.close();

        MetricsSnapshot snapshot = engine.snapshot();
        CounterPoint c = EngineTestSupport.counter(snapshot, "bad_values");
        assertEquals(5, c.longValue());
        assertEquals(7.5, c.value());
        assertEquals(2, c.updates(), "only the two valid increments were applied");
        assertEquals(4.0, gauge(snapshot, "bad_values_gauge").value());

        HistogramPoint h = histogram(snapshot, "bad_values_hist");
        assertEquals(2, h.count());
        assertEquals(10 + highest, h.sum());
        assertEquals(10, h.min());
        assertEquals(highest, h.max(), "a value above the range is clamped to the highest trackable value");
        assertEquals(1, h.countAt(engine.histogramLayout().indexOf(highest)));

        HistogramPoint t = histogram(snapshot, "bad_values_timer");
        assertEquals(1, t.count());
        assertEquals(100, t.sum());

        assertEquals(2, rejected(snapshot, "nan"), "counter add(NaN), gauge set(NaN)");
        assertEquals(4, rejected(snapshot, "negative"), "counter add(-1), add(-0.5), histogram -5, timer -1");
        assertEquals(2, rejected(snapshot, "infinite"), "counter add(+Inf), gauge add(+Inf)");
        assertEquals(0, rejected(snapshot, "invalid"));
        assertEquals(1, counterLong(snapshot, "streammetrics_values_clamped", "above_range"));
    }

    @Test
    void recordAfterCloseIsDroppedAndCounted() throws Exception {
        Counter counter = engine.counter("after_close_total").register().labels();
        Histogram histogram = engine.histogram("after_close_hist").register().labels();
        counter.increment();
        engine.close();

        assertDoesNotThrow(() -> {
            counter.increment();
            counter.add(3);
            histogram.record(5);
            histogram.recordBatch(new long[] {1, 2, 3}, 0, 3);
        });
        // A thread that never recorded before close.
        Thread late = new Thread(counter::increment, "late-recorder");
        late.start();
        late.join(10_000);
        assertFalse(late.isAlive());

        MetricsSnapshot snapshot = assertDoesNotThrow(() -> engine.snapshot());
        assertEquals(1, counterLong(snapshot, "after_close"));
        assertEquals(0, histogram(snapshot, "after_close_hist").count());
        assertEquals(7, dropped(snapshot, "closed"));
        assertEquals(0, dropped(snapshot, "ring_full"));
    }

    // ------------------------------------------------------------------ builder

    @Test
    void builderRejectsInvalidSettings() {
        MetricsEngine.Builder builder = MetricsEngine.builder();
        assertIae("3", () -> builder.ringSize(3));
        assertThrows(IllegalArgumentException.class, () -> builder.ringSize(0));
        assertThrows(IllegalArgumentException.class, () -> builder.ringSize(-8));
        assertThrows(IllegalArgumentException.class, () -> builder.ringSize(1));
        assertThrows(IllegalArgumentException.class, () -> builder.maxSeries(0));
        assertThrows(IllegalArgumentException.class, () -> builder.maxProducerRings(0));
        assertThrows(IllegalArgumentException.class, () -> builder.cardinalityLimit(0));
        assertThrows(IllegalArgumentException.class, () -> builder.histogramRange(0, 100, 2));
        assertThrows(IllegalArgumentException.class, () -> builder.histogramRange(10, 15, 2));
        assertThrows(IllegalArgumentException.class, () -> builder.histogramRange(1, 100, 6));
        assertThrows(NullPointerException.class, () -> builder.backPressure(null));
        assertDoesNotThrow(() -> builder.ringSize(4));
        assertIae("cardinality", () -> engine.counter("bad_limit_total").labelNames("a").cardinalityLimit(0).register());
    }

    @Test
    void unitOfATimerIsAlwaysSeconds() {
        assertIae("timer_unit", () -> engine.timer("timer_unit").unit(Unit.BYTES));
        assertEquals(Unit.SECONDS, engine.timer("timer_unit").unit(Unit.SECONDS).register().unit());
        assertThrows(IllegalArgumentException.class, () -> new Unit("Bytes"));
    }
}
