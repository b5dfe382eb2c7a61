package io.streammetrics.benchmarks;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.streammetrics.metric.Counter;
import org.openjdk.jmh.annotations.Benchmark;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cost of one counter increment on a pre-resolved handle, every library in the same run: streammetrics, Prometheus
 * client_java (cached {@code labelValues}), Micrometer, OpenTelemetry ({@code add} with pre-built
 * {@code Attributes}), Dropwizard, and the {@code AtomicLong} and {@code LongAdder} baselines.
 *
 * <p>The handles are shared by the benchmark threads (see {@link RecordCostBenchmark}): with {@code -t 2} both threads
 * increment the same series, the contended case. Counters never drop in streammetrics (an increment adds to the thread's own cell), so every row
 * does all its work. Run with {@code -prof gc} for B/op.
 */
public class CounterRecordBenchmark extends RecordCostBenchmark {
    private static final String NAME = "bench_events";

    private Counter streammetrics;
    private CounterDataPoint clientJava;
    private io.micrometer.core.instrument.Counter micrometer;
    private LongCounter otel;
    private Attributes otelAttributes;
    private com.codahale.metrics.Counter dropwizard;
    private final AtomicLong atomicLong = new AtomicLong();
    private final LongAdder longAdder = new LongAdder();

    @Override
    protected void resolve(Peers peers) {
        streammetrics = peers.streammetricsCounter(NAME);
        clientJava = peers.clientJavaCounter(NAME);
        micrometer = peers.micrometerCounter(NAME);
        otel = peers.otelCounter(NAME);
        otelAttributes = peers.otelAttributes;
        dropwizard = peers.dropwizardCounter(NAME);
    }

    @Benchmark
    public void streammetrics() {
        streammetrics.increment();
    }

    @Benchmark
    public void clientJava() {
        clientJava.inc();
    }

    @Benchmark
    public void micrometer() {
        micrometer.increment();
    }

    @Benchmark
    public void otel() {
        otel.add(1, otelAttributes);
    }

    @Benchmark
    public void dropwizard() {
        dropwizard.inc();
    }

    /** Baseline: one contended atomic add, what a naive shared counter costs. */
    @Benchmark
    public long atomicLong() {
        return atomicLong.incrementAndGet();
    }

    /** Baseline: striped cells, what most peers build on. */
    @Benchmark
    public void longAdder() {
        longAdder.increment();
    }
}
