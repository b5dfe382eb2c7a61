package io.streammetrics.metric;

import io.streammetrics.common.EngineClock;
import io.streammetrics.internal.registry.MetricRegistry;
import io.streammetrics.internal.ring.ProducerRings;

/**
 * What family builders need from an engine: its registry, its rings, its clock and its default cardinality limit.
 * Users reach the builders through {@code MetricsEngine}.
 */
public final class Instruments {
    private final MetricRegistry registry;
    private final ProducerRings rings;
    private final EngineClock clock;
    private final int defaultCardinalityLimit;

    public Instruments(MetricRegistry registry, ProducerRings rings, EngineClock clock, int defaultCardinalityLimit) {
        this.registry = registry;
        this.rings = rings;
        this.clock = clock;
        this.defaultCardinalityLimit = defaultCardinalityLimit;
    }

    public CounterFamily.Builder counter(String name) {
        return new CounterFamily.Builder(this, name);
    }

    public GaugeFamily.Builder gauge(String name) {
        return new GaugeFamily.Builder(this, name);
    }

    public HistogramFamily.Builder histogram(String name) {
        return new HistogramFamily.Builder(this, name);
    }

    public TimerFamily.Builder timer(String name) {
        return new TimerFamily.Builder(this, name);
    }

    MetricRegistry registry() {
        return registry;
    }

    ProducerRings rings() {
        return rings;
    }

    EngineClock clock() {
        return clock;
    }

    int defaultCardinalityLimit() {
        return defaultCardinalityLimit;
    }
}
