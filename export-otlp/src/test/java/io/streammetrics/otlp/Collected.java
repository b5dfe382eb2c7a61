package io.streammetrics.otlp;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;

import java.util.Collection;

/** Look-ups in collected {@link MetricData}, failing with what was there. */
final class Collected {
    private Collected() {
    }

    static MetricData metric(Collection<MetricData> metrics, String name) {
        for (MetricData metric : metrics) {
            if (metric.getName().equals(name)) {
                return metric;
            }
        }
        throw new AssertionError("no metric " + name + " in " + metrics.stream().map(MetricData::getName).toList());
    }

    static <P extends PointData> P point(Collection<P> points, Attributes attributes) {
        for (P point : points) {
            if (point.getAttributes().equals(attributes)) {
                return point;
            }
        }
        throw new AssertionError("no point with " + attributes + " in " + points);
    }
}
