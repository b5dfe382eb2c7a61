package io.streammetrics.exemplar;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.Histogram;
import io.streammetrics.metric.Timer;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.testing.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.streammetrics.EngineTestSupport.counter;
import static io.streammetrics.EngineTestSupport.histogram;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, item 3: with automatic exemplars on, a record takes the span the OpenTelemetry SDK made current, if it
 * is sampled; an unsampled span, or none, gives no exemplar; with them off (the default) a current sampled span is
 * ignored.
 */
class AutomaticExemplarTest {
    private final TestClock clock = new TestClock(1_700_000_000_000L);
    private MetricsEngine engine;
    private SdkTracerProvider tracing;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
        if (tracing != null) {
            tracing.close();
        }
    }

    private Tracer tracer(Sampler sampler) {
        // A span processor (exporting nowhere): without one the SDK hands out only invalid spans.
        tracing = SdkTracerProvider.builder().setSampler(sampler)
                .addSpanProcessor(SimpleSpanProcessor.create(SpanExporter.composite())).build();
        return tracing.get("exemplar-test");
    }

    private MetricsEngine start(boolean automatic) {
        engine = MetricsEngine.builder().clock(clock).jvmMetrics(false).exemplarsFromOpenTelemetry(automatic).build()
                .start();
        return engine;
    }

    @Test
    void aRecordTakesTheCurrentSampledSpan() {
        start(true);
        Histogram h = engine.histogram("auto_sizes").register().labels();
        Timer t = engine.timer("auto_latency").register().labels();
        Counter c = engine.counter("auto_events").register().labels();
        h.record(1);                                      // no span current: nothing
        Span span = tracer(Sampler.alwaysOn()).spanBuilder("request").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            clock.advance(Duration.ofMillis(5));          // past the no-span back-off
            engine.snapshot();
            h.record(42);
            t.record(3_000_000);
            c.increment();
        } finally {
            span.end();
        }
        MetricsSnapshot snapshot = engine.snapshot();
        String traceId = span.getSpanContext().getTraceId();
        String spanId = span.getSpanContext().getSpanId();
        for (List<Exemplar> exemplars : List.of(histogram(snapshot, "auto_sizes").exemplars(),
                histogram(snapshot, "auto_latency").exemplars(), counter(snapshot, "auto_events").exemplars())) {
            assertTrue(!exemplars.isEmpty(), "an exemplar was taken");
            for (Exemplar e : exemplars) {
                assertEquals(traceId, e.traceId(), e::toString);
                assertEquals(spanId, e.spanIdHex(), e::toString);
            }
        }
        assertEquals(42.0, histogram(snapshot, "auto_sizes").exemplars().get(0).value());
        assertEquals(2, histogram(snapshot, "auto_sizes").count());
    }

    @Test
    void anUnsampledSpanGivesNoExemplar() {
        start(true);
        Histogram h = engine.histogram("unsampled").register().labels();
        Span span = tracer(Sampler.alwaysOff()).spanBuilder("request").startSpan();
        assertTrue(span.getSpanContext().isValid(), () -> "a real span, only not sampled: " + span);
        try (Scope ignored = span.makeCurrent()) {
            for (int i = 0; i < 100; i++) {
                clock.advance(Duration.ofMillis(100));
                engine.snapshot();
                h.record(i);
            }
        } finally {
            span.end();
        }
        assertEquals(List.of(), histogram(engine.snapshot(), "unsampled").exemplars());
    }

    @Test
    void withTheAutomaticFormOffASampledSpanIsIgnored() {
        start(false);
        Histogram h = engine.histogram("manual_only").register().labels();
        Span span = tracer(Sampler.alwaysOn()).spanBuilder("request").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            h.record(5);
        } finally {
            span.end();
        }
        assertEquals(List.of(), histogram(engine.snapshot(), "manual_only").exemplars());
    }
}
