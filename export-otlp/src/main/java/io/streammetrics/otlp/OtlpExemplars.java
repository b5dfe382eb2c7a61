package io.streammetrics.otlp;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.streammetrics.exemplar.Exemplar;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The store's exemplars as OTLP exemplars: each sampled record once, with its span context (trace and span id,
 * sampled flag) so that a backend links the point to the trace, its extra labels as filtered attributes, its value
 * in exported units. Only exemplars recorded since the point's start: a delta point shows those of its interval, as
 * the SDK's reservoirs do.
 */
final class OtlpExemplars {
    private OtlpExemplars() {
    }

    static List<DoubleExemplarData> of(List<Exemplar> stored, double scale, long startEpochNanos) {
        if (stored.isEmpty()) {
            return List.of();
        }
        List<DoubleExemplarData> out = new ArrayList<>(stored.size());
        for (Exemplar e : Exemplar.distinct(stored)) {
            long epochNanos = e.timestampMillis() * 1_000_000L;
            if (epochNanos < startEpochNanos) {
                continue;
            }
            AttributesBuilder attributes = Attributes.builder();
            for (Map.Entry<String, String> label : e.labels().entrySet()) {
                attributes.put(label.getKey(), label.getValue());
            }
            out.add(DoubleExemplarData.create(attributes.build(), epochNanos,
                    SpanContext.create(e.traceId(), e.spanIdHex(), TraceFlags.getSampled(), TraceState.getDefault()),
                    e.value() / scale));
        }
        return out;
    }
}
