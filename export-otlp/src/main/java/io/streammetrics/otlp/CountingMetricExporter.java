package io.streammetrics.otlp;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.CounterFamily;

import java.util.Collection;

/**
 * A {@link MetricExporter} decorator that counts export outcomes in the engine's own
 * {@code streammetrics_otlp_exports_total{result="success|failure"}}, so that a receiver that is down shows in the
 * next successful export (and in a Prometheus scrape of the same engine). The counts are taken when the delegate's
 * result completes, on whichever thread completes it; a counter increment never blocks.
 */
final class CountingMetricExporter implements MetricExporter {
    private static final System.Logger LOG = System.getLogger(CountingMetricExporter.class.getName());

    private final MetricExporter delegate;
    private final Counter success;
    private final Counter failure;
    private boolean failing;

    CountingMetricExporter(MetricExporter delegate, MetricsEngine engine) {
        this.delegate = delegate;
        CounterFamily exports = engine.counter("streammetrics_otlp_exports")
                .help("OTLP metric exports, by result.").labelNames("result").register();
        this.success = exports.labels("success");
        this.failure = exports.labels("failure");
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
        CompletableResultCode result;
        try {
            result = delegate.export(metrics);
        } catch (RuntimeException e) {
            // The SDK's exporters report failure through the result; a throwing decorated exporter must not stop
            // the periodic reader either.
            LOG.log(System.Logger.Level.WARNING, "OTLP exporter threw", e);
            result = CompletableResultCode.ofExceptionalFailure(e);
        }
        CompletableResultCode outcome = result;
        outcome.whenComplete(() -> record(outcome.isSuccess()));
        return outcome;
    }

    private synchronized void record(boolean succeeded) {
        (succeeded ? success : failure).increment();
        // Log transitions only: the SDK already logs each failed request, and an outage should not flood the log.
        if (!succeeded && !failing) {
            LOG.log(System.Logger.Level.WARNING, "OTLP metric export failed; recording continues and cumulative "
                    + "totals will be complete in the next successful export");
        } else if (succeeded && failing) {
            LOG.log(System.Logger.Level.INFO, "OTLP metric export recovered");
        }
        failing = !succeeded;
    }

    @Override
    public CompletableResultCode flush() {
        return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return delegate.shutdown();
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return delegate.getAggregationTemporality(instrumentType);
    }

    @Override
    public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
        return delegate.getDefaultAggregation(instrumentType);
    }

    @Override
    public MemoryMode getMemoryMode() {
        return delegate.getMemoryMode();
    }
}
