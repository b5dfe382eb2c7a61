package io.streammetrics.benchmarks;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Histogram;
import io.streammetrics.metric.Timer;
import org.HdrHistogram.Recorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

import java.util.concurrent.TimeUnit;

/**
 * Cost of recording one latency on a pre-resolved handle, every library in the same run, values from
 * {@link LogNormalValues} (1 us to 100 ms): streammetrics {@code Timer} and {@code Histogram}, HdrHistogram's
 * {@code Recorder} (the raw baseline), client_java classic and native histograms, a Micrometer {@code Timer} with
 * client-side percentiles and a percentile histogram (and one with the histogram only), OpenTelemetry explicit-bucket and base-2 exponential
 * histograms, and Dropwizard's default {@code Histogram}.
 *
 * <p>Handles are shared by the benchmark threads ({@code -t 2}: contended). streammetrics records go into each
 * thread's histogram cell by default; with {@code -p histogramCells=off} they are events on the thread's ring and may
 * be dropped when the aggregator cannot keep up (read such a row together with the events line
 * {@link RecordCostBenchmark} prints after each iteration, or run it with {@code -p backPressure=BLOCK}).
 */
public class LatencyRecordBenchmark extends RecordCostBenchmark {
    private static final String NAME = "bench_latency";

    /** {@code on}: streammetrics' default histogram cells; {@code off}: every record a ring event. */
    @Param({"on"})
    public String histogramCells;

    private Timer streammetricsTimer;
    private Histogram streammetricsHistogram;
    private Recorder hdr;
    private DistributionDataPoint clientJavaClassic;
    private DistributionDataPoint clientJavaNative;
    private io.micrometer.core.instrument.Timer micrometer;
    private io.micrometer.core.instrument.Timer micrometerHistogramOnly;
    private DoubleHistogram otelExplicit;
    private DoubleHistogram otelExponential;
    private Attributes otelAttributes;
    private com.codahale.metrics.Histogram dropwizard;

    @Override
    protected MetricsEngine.Builder engineSettings() {
        MetricsEngine.Builder settings = MetricsEngine.builder();
        return histogramCells.equals("off") ? settings.histogramCellMemory(0) : settings;
    }

    @Override
    protected void resolve(Peers peers) {
        streammetricsTimer = peers.streammetricsTimer(NAME + "_timer");
        streammetricsHistogram = peers.streammetricsHistogram(NAME + "_histogram");
        hdr = peers.hdrRecorder();
        clientJavaClassic = peers.clientJavaClassicHistogram(NAME + "_classic_seconds");
        clientJavaNative = peers.clientJavaNativeHistogram(NAME + "_native_seconds");
        micrometer = peers.micrometerTimer(NAME, true);
        micrometerHistogramOnly = peers.micrometerTimer(NAME + "_histogram_only", false);
        otelExplicit = peers.otelExplicitHistogram(NAME);
        otelExponential = peers.otelExponentialHistogram(NAME);
        otelAttributes = peers.otelAttributes;
        dropwizard = peers.dropwizardHistogram(NAME);
    }

    @Benchmark
    public void streammetricsTimer(LogNormalValues values) {
        streammetricsTimer.record(values.nextNanos());
    }

    @Benchmark
    public void streammetricsHistogram(LogNormalValues values) {
        streammetricsHistogram.record(values.nextNanos());
    }

    @Benchmark
    public void hdrRecorder(LogNormalValues values) {
        hdr.recordValue(values.nextNanos());
    }

    @Benchmark
    public void clientJavaClassic(LogNormalValues values) {
        clientJavaClassic.observe(values.nextSeconds());
    }

    @Benchmark
    public void clientJavaNative(LogNormalValues values) {
        clientJavaNative.observe(values.nextSeconds());
    }

    @Benchmark
    public void micrometerTimer(LogNormalValues values) {
        micrometer.record(values.nextNanos(), TimeUnit.NANOSECONDS);
    }

    /** Without client-side percentiles: Prometheus buckets only, the configuration closest to client_java's. */
    @Benchmark
    public void micrometerTimerHistogramOnly(LogNormalValues values) {
        micrometerHistogramOnly.record(values.nextNanos(), TimeUnit.NANOSECONDS);
    }

    @Benchmark
    public void otelExplicit(LogNormalValues values) {
        otelExplicit.record(values.nextSeconds(), otelAttributes);
    }

    @Benchmark
    public void otelExponential(LogNormalValues values) {
        otelExponential.record(values.nextSeconds(), otelAttributes);
    }

    @Benchmark
    public void dropwizard(LogNormalValues values) {
        dropwizard.update(values.nextNanos());
    }
}
