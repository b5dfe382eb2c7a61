package io.streammetrics.benchmarks;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.Timer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Issue 17: what exemplars cost a record. streammetrics {@code Timer.record} and {@code Counter.increment} with the
 * automatic exemplar form off (the default) or on ({@code -p exemplars=off,auto}), with no span or a sampled
 * OpenTelemetry span current on the recording thread ({@code -p span=none,sampled}), beside client_java's classic
 * histogram and counter, whose exemplar sampler (on by default) takes the same OpenTelemetry span through
 * {@code prometheus-metrics-tracer-otel}. A tight loop: a sampled exemplar (one per 90 ms per series) is spread over
 * the records of its interval, fewer than at 1 million records a second, where it is spread over 90,000.
 */
public class ExemplarRecordBenchmark extends RecordCostBenchmark {
    private static final String NAME = "bench_exemplar";

    /** {@code off}: the engine's default; {@code auto}: {@code exemplarsFromOpenTelemetry(true)}. */
    @Param({"off", "auto"})
    public String exemplars;

    private Timer streammetricsTimer;
    private Counter streammetricsCounter;
    private DistributionDataPoint clientJavaClassic;
    private CounterDataPoint clientJavaCounter;

    @Override
    protected MetricsEngine.Builder engineSettings() {
        return MetricsEngine.builder().exemplarsFromOpenTelemetry(exemplars.equals("auto"));
    }

    @Override
    protected void resolve(Peers peers) {
        streammetricsTimer = peers.streammetricsTimer(NAME + "_timer");
        streammetricsCounter = peers.streammetricsCounter(NAME + "_events_total");
        clientJavaClassic = peers.clientJavaClassicHistogram(NAME + "_classic_seconds");
        clientJavaCounter = peers.clientJavaCounter(NAME + "_client_java_events");
    }

    /** The recording thread's current span: none, or a sampled one made current by the OpenTelemetry SDK. */
    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class CurrentSpan {
        /** {@code none} or {@code sampled}. */
        @Param({"none", "sampled"})
        public String span;

        private SdkTracerProvider tracing;
        private Span current;
        private Scope scope;

        @Setup(Level.Trial)
        public void makeCurrent() {
            if (!span.equals("sampled")) {
                return;
            }
            tracing = SdkTracerProvider.builder().setSampler(Sampler.alwaysOn())
                    .addSpanProcessor(SimpleSpanProcessor.create(SpanExporter.composite())).build();
            current = tracing.get("benchmark").spanBuilder("request").startSpan();
            scope = current.makeCurrent();
        }

        @TearDown(Level.Trial)
        public void close() {
            if (scope != null) {
                scope.close();
                current.end();
                tracing.close();
            }
        }
    }

    @Benchmark
    public void streammetricsTimer(LogNormalValues values, CurrentSpan span) {
        streammetricsTimer.record(values.nextNanos());
    }

    @Benchmark
    public void streammetricsCounter(CurrentSpan span) {
        streammetricsCounter.increment();
    }

    @Benchmark
    public void clientJavaClassic(LogNormalValues values, CurrentSpan span) {
        clientJavaClassic.observe(values.nextSeconds());
    }

    @Benchmark
    public void clientJavaCounter(CurrentSpan span) {
        clientJavaCounter.inc();
    }
}
