package io.streammetrics.internal.exemplar;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.streammetrics.common.EngineClock;
import io.streammetrics.exemplar.TraceIds;
import io.streammetrics.internal.ring.CurrentSpanSource;
import io.streammetrics.internal.ring.ExemplarGate;
import io.streammetrics.internal.ring.ProducerRing;

/**
 * The automatic exemplar form's source with the OpenTelemetry API: the current span ({@code Span.current()}) if its
 * context is sampled, as client_java's {@code prometheus-metrics-tracer-otel} takes it. The only class of
 * streammetrics that names the OpenTelemetry API; the engine loads it by name, and only when automatic exemplars are
 * turned on, so that without the API on the classpath nothing changes.
 */
public final class OpenTelemetryCurrentSpan implements CurrentSpanSource {
    private final EngineClock clock;

    /** For the engine, which loads this class by name. */
    public OpenTelemetryCurrentSpan(EngineClock clock) {
        this.clock = clock;
    }

    @Override
    public boolean publishCurrent(ExemplarGate gate, ProducerRing ring, int seriesId, int histogramIndex, long value) {
        SpanContext context = Span.current().getSpanContext();
        if (!context.isSampled()) {
            return false;
        }
        if (gate.tryAcquire()) {
            // W3C ids as hex, 32 and 16 digits (a sampled context is a valid one): parsed in place, no allocation.
            String traceId = context.getTraceId();
            ring.publishExemplar(seriesId, histogramIndex, value, TraceIds.parseHex16(traceId, 0),
                    TraceIds.parseHex16(traceId, 16), TraceIds.parseHex16(context.getSpanId(), 0),
                    clock.epochMillis(), 0);
        }
        return true;
    }
}
