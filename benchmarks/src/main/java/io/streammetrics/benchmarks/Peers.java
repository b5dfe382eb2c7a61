package io.streammetrics.benchmarks;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.streammetrics.MetricsEngine;
import io.streammetrics.snapshot.CounterPoint;
import io.streammetrics.snapshot.FamilySnapshot;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.snapshot.SeriesPoint;
import org.HdrHistogram.Recorder;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One registry per library benchmarked, and the pre-resolved handles every record benchmark uses, built the same way
 * everywhere so that a row means the same thing in each benchmark: one label ({@code stage="parse"}) resolved once,
 * latencies in each library's customary unit (nanoseconds as {@code long}, or seconds as {@code double} where the
 * library's convention is seconds), and histograms configured as a Prometheus user would configure them.
 *
 * <p>Peer versions are the parent pom's: Prometheus client_java, Micrometer (Prometheus registry), OpenTelemetry SDK
 * (with a cumulative reader, without which the SDK records nothing), Dropwizard and HdrHistogram.
 */
public final class Peers implements AutoCloseable {
    /** client_java's default classic buckets, also given to OpenTelemetry's explicit histogram: same bucket search. */
    static final List<Double> SECONDS_BUCKETS = List.of(.005, .01, .025, .05, .1, .25, .5, 1.0, 2.5, 5.0, 10.0);
    private static final String LABEL = "stage";
    private static final String LABEL_VALUE = "parse";
    private static final String EXPONENTIAL = "_exponential";

    /** The streammetrics engine, started. */
    public final MetricsEngine engine;
    /** Prometheus client_java's registry. */
    public final PrometheusRegistry prometheus = new PrometheusRegistry();
    /** Micrometer's Prometheus registry. */
    public final PrometheusMeterRegistry micrometer = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Dropwizard's registry. */
    public final com.codahale.metrics.MetricRegistry dropwizard = new com.codahale.metrics.MetricRegistry();
    private final SdkMeterProvider otelProvider;
    private final Meter otel;
    /** The label every OpenTelemetry row records with, built once as users are told to. */
    public final Attributes otelAttributes = Attributes.of(AttributeKey.stringKey(LABEL), LABEL_VALUE);

    private Peers(MetricsEngine engine) {
        this.engine = engine;
        this.otelProvider = SdkMeterProvider.builder()
                .registerMetricReader(new CumulativeReader())
                .registerView(InstrumentSelector.builder().setName("*" + EXPONENTIAL).build(),
                        View.builder().setAggregation(Aggregation.base2ExponentialBucketHistogram()).build())
                .build();
        this.otel = otelProvider.get("streammetrics-benchmarks");
    }

    /** Peers next to an engine with default settings. */
    public static Peers start() {
        return start(MetricsEngine.builder());
    }

    /** Peers next to an engine built (and started) from {@code engine}. */
    public static Peers start(MetricsEngine.Builder engine) {
        return new Peers(engine.build().start());
    }

    // ------------------------------------------------------------------ counters

    public io.streammetrics.metric.Counter streammetricsCounter(String name) {
        return engine.counter(name).labelNames(LABEL).register().labels(LABEL_VALUE);
    }

    public CounterDataPoint clientJavaCounter(String name) {
        return io.prometheus.metrics.core.metrics.Counter.builder().name(name).labelNames(LABEL)
                .register(prometheus).labelValues(LABEL_VALUE);
    }

    public io.micrometer.core.instrument.Counter micrometerCounter(String name) {
        return micrometer.counter(name, LABEL, LABEL_VALUE);
    }

    public LongCounter otelCounter(String name) {
        return otel.counterBuilder(name).build();
    }

    public com.codahale.metrics.Counter dropwizardCounter(String name) {
        return dropwizard.counter(name + "." + LABEL_VALUE);
    }

    // ------------------------------------------------------------------ gauges (set per update)

    public io.streammetrics.metric.Gauge streammetricsGauge(String name) {
        return engine.gauge(name).labelNames(LABEL).register().labels(LABEL_VALUE);
    }

    public io.prometheus.metrics.core.datapoints.GaugeDataPoint clientJavaGauge(String name) {
        return io.prometheus.metrics.core.metrics.Gauge.builder().name(name).labelNames(LABEL)
                .register(prometheus).labelValues(LABEL_VALUE);
    }

    /** A Micrometer gauge reading the returned holder, which the caller sets. */
    public AtomicLong micrometerGauge(String name) {
        return micrometer.gauge(name, io.micrometer.core.instrument.Tags.of(LABEL, LABEL_VALUE), new AtomicLong());
    }

    // ------------------------------------------------------------------ latencies

    public io.streammetrics.metric.Timer streammetricsTimer(String name) {
        return engine.timer(name).labelNames(LABEL).register().labels(LABEL_VALUE);
    }

    public io.streammetrics.metric.Histogram streammetricsHistogram(String name) {
        return engine.histogram(name).labelNames(LABEL).register().labels(LABEL_VALUE);
    }

    /** HdrHistogram's concurrent recorder at the engine's default range and precision: the raw baseline. */
    public Recorder hdrRecorder() {
        return new Recorder(1, TimeUnit.HOURS.toNanos(1), 2);
    }

    public DistributionDataPoint clientJavaClassicHistogram(String name) {
        return io.prometheus.metrics.core.metrics.Histogram.builder().name(name).labelNames(LABEL).classicOnly()
                .register(prometheus).labelValues(LABEL_VALUE);
    }

    public DistributionDataPoint clientJavaNativeHistogram(String name) {
        return io.prometheus.metrics.core.metrics.Histogram.builder().name(name).labelNames(LABEL).nativeOnly()
                .register(prometheus).labelValues(LABEL_VALUE);
    }

    /**
     * A Micrometer timer publishing a percentile histogram (Prometheus buckets) and, with {@code clientPercentiles},
     * client-side p50, p99 and p99.9 as well.
     */
    public io.micrometer.core.instrument.Timer micrometerTimer(String name, boolean clientPercentiles) {
        io.micrometer.core.instrument.Timer.Builder timer = io.micrometer.core.instrument.Timer.builder(name)
                .tag(LABEL, LABEL_VALUE).publishPercentileHistogram();
        if (clientPercentiles) {
            timer.publishPercentiles(0.5, 0.99, 0.999);
        }
        return timer.register(micrometer);
    }

    /** An OpenTelemetry histogram in seconds with client_java's default bounds. */
    public DoubleHistogram otelExplicitHistogram(String name) {
        return otel.histogramBuilder(name).setUnit("s").setExplicitBucketBoundariesAdvice(SECONDS_BUCKETS).build();
    }

    /** An OpenTelemetry histogram in seconds with the base-2 exponential aggregation (160 buckets, the default). */
    public DoubleHistogram otelExponentialHistogram(String name) {
        return otel.histogramBuilder(name + EXPONENTIAL).setUnit("s").build();
    }

    /** Dropwizard's default histogram (exponentially decaying reservoir). */
    public com.codahale.metrics.Histogram dropwizardHistogram(String name) {
        return dropwizard.histogram(name + "." + LABEL_VALUE);
    }

    // ------------------------------------------------------------------ streammetrics' own accounting

    /** Totals of streammetrics' self-metrics that tell whether a row's records reached the store. */
    public EventTotals eventTotals() {
        return eventTotals(engine);
    }

    /** Totals of {@code engine}'s self-metrics, also after it is closed. */
    public static EventTotals eventTotals(MetricsEngine engine) {
        MetricsSnapshot snapshot = engine.snapshot();
        return new EventTotals(sum(snapshot, "streammetrics_events_published"),
                sum(snapshot, "streammetrics_events_applied"), sum(snapshot, "streammetrics_events_dropped"));
    }

    private static long sum(MetricsSnapshot snapshot, String family) {
        FamilySnapshot found = snapshot.family(family);
        long total = 0;
        for (SeriesPoint point : found.points()) {
            total += ((CounterPoint) point).longValue();
        }
        return total;
    }

    /**
     * Ring events published, applied and dropped (ring full or closed) since the engine started.
     *
     * @param published events that made it onto a ring
     * @param applied events the aggregator applied to the store
     * @param dropped events turned away
     */
    public record EventTotals(long published, long applied, long dropped) {
        /** Nothing yet: the start of a trial. */
        public static final EventTotals NONE = new EventTotals(0, 0, 0);

        /** What happened between {@code earlier} and this, as one line for the benchmark log. */
        public String since(EventTotals earlier) {
            long offered = published - earlier.published + dropped - earlier.dropped;
            long lost = dropped - earlier.dropped;
            return String.format("[streammetrics: %,d events offered, %,d applied, %,d dropped (%.1f %%)]",
                    offered, applied - earlier.applied, lost, offered == 0 ? 0.0 : 100.0 * lost / offered);
        }
    }

    @Override
    public void close() {
        engine.close();
        otelProvider.close();
        micrometer.close();
    }

    /**
     * The smallest reader the OpenTelemetry SDK needs to aggregate at all (without a reader its instruments are
     * no-ops): cumulative, collected only on demand.
     */
    static final class CumulativeReader implements MetricReader {
        private volatile CollectionRegistration registration = CollectionRegistration.noop();

        @Override
        public void register(CollectionRegistration registration) {
            this.registration = registration;
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
            return AggregationTemporality.CUMULATIVE;
        }

        @Override
        public CompletableResultCode forceFlush() {
            registration.collectAllMetrics();
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
