package io.streammetrics.otlp;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.streammetrics.MetricsEngine;
import io.streammetrics.common.Durations;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Pushes an engine's metrics over OTLP through the OpenTelemetry SDK: an {@link EngineMetricProducer} registered
 * with an {@link SdkMeterProvider} whose {@link PeriodicMetricReader} exports with the SDK's
 * {@link OtlpHttpMetricExporter} or {@link OtlpGrpcMetricExporter} (transport, retries, compression, TLS).
 *
 * <pre>{@code
 * OtlpExporter otlp = OtlpExporter.builder(engine)
 *         .endpoint("http://collector:4318/v1/metrics")
 *         .serviceName("orders-consumer")
 *         .interval(Duration.ofSeconds(10))
 *         .build();                      // exports every 10 s on the reader's own thread
 * ...
 * otlp.close();                          // one last export, then stops
 * }</pre>
 *
 * <p>Settings not given on the builder come from the standard environment variables ({@code OTEL_EXPORTER_OTLP_*},
 * {@code OTEL_METRIC_EXPORT_INTERVAL}, {@code OTEL_SERVICE_NAME}, {@code OTEL_RESOURCE_ATTRIBUTES}; see
 * {@link Builder#environment(Map)}), then from the SDK's defaults: http/protobuf to
 * {@code http://localhost:4318/v1/metrics}, 10 s timeout, no compression, 60 s interval.
 *
 * <p>Export never slows recording: it runs on the reader's thread, reading snapshots that do not stop the engine's
 * aggregator. Outcomes are counted in {@code streammetrics_otlp_exports_total{result}}; with cumulative temporality
 * an outage loses nothing, since the next successful export carries the full totals.
 */
public final class OtlpExporter implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OtlpExporter.class.getName());

    private final SdkMeterProvider meterProvider;
    private final Duration timeout;
    private final String endpoint;
    private final OtlpProtocol protocol;

    private OtlpExporter(SdkMeterProvider meterProvider, Duration timeout, String endpoint, OtlpProtocol protocol) {
        this.meterProvider = meterProvider;
        this.timeout = timeout;
        this.endpoint = endpoint;
        this.protocol = protocol;
    }

    /** A builder exporting {@code engine} cumulatively with default histogram formats. */
    public static Builder builder(MetricsEngine engine) {
        return new Builder(EngineMetricProducer.create(engine));
    }

    /** A builder exporting what {@code producer} produces (its temporality and histogram formats). */
    public static Builder builder(EngineMetricProducer producer) {
        return new Builder(producer);
    }

    /** The meter provider doing the export; its meters may be used for SDK instruments exported alongside. */
    public SdkMeterProvider meterProvider() {
        return meterProvider;
    }

    /** The resolved endpoint. */
    public String endpoint() {
        return endpoint;
    }

    /** The resolved protocol. */
    public OtlpProtocol protocol() {
        return protocol;
    }

    /** Collects and exports now, on the calling thread; whether the export succeeded within the timeout. */
    public boolean flush() {
        CompletableResultCode result = meterProvider.forceFlush().join(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        return result.isSuccess();
    }

    /** Exports one last time, then stops the reader and the exporter. Idempotent. */
    @Override
    public void close() {
        CompletableResultCode result = meterProvider.shutdown().join(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        if (!result.isSuccess()) {
            LOG.log(System.Logger.Level.WARNING, "final OTLP export to " + endpoint + " did not succeed");
        }
    }

    /** Builds an {@link OtlpExporter}; explicit settings win over environment variables, which win over defaults. */
    public static final class Builder {
        private final EngineMetricProducer producer;
        private Map<String, String> environment = System.getenv();
        private String endpoint;
        private OtlpProtocol protocol;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Duration timeout;
        private String compression;
        private Duration interval;
        private String serviceName;
        private final Map<String, String> resourceAttributes = new LinkedHashMap<>();
        private RetryPolicy retryPolicy = RetryPolicy.getDefault();

        private Builder(EngineMetricProducer producer) {
            this.producer = Objects.requireNonNull(producer, "producer");
        }

        /** The environment variables to honour (default {@code System.getenv()}); tests pass their own. */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        /**
         * The full metrics URL: {@code http://host:4318/v1/metrics} for http/protobuf, {@code http://host:4317} for
         * gRPC ({@code https} for TLS).
         */
        public Builder endpoint(String endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /** The transport (default http/protobuf). */
        public Builder protocol(OtlpProtocol protocol) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
            return this;
        }

        /** A header sent with every export (added to those of {@code OTEL_EXPORTER_OTLP_HEADERS}). */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** How long one export may take (default 10 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = Durations.positive(timeout, "timeout");
            return this;
        }

        /** {@code gzip} or {@code none} (default). */
        public Builder compression(String compression) {
            String c = Objects.requireNonNull(compression, "compression").toLowerCase(java.util.Locale.ROOT);
            if (!c.equals("gzip") && !c.equals("none")) {
                throw new IllegalArgumentException("unsupported compression '" + compression + "', use gzip or none");
            }
            this.compression = c;
            return this;
        }

        /** Time between exports (default 60 s). */
        public Builder interval(Duration interval) {
            this.interval = Durations.positive(interval, "interval");
            return this;
        }

        /** The {@code service.name} resource attribute (default {@code unknown_service:java}, as the SDK's). */
        public Builder serviceName(String serviceName) {
            this.serviceName = Objects.requireNonNull(serviceName, "serviceName");
            return this;
        }

        /** A resource attribute (added to those of {@code OTEL_RESOURCE_ATTRIBUTES}). */
        public Builder resourceAttribute(String key, String value) {
            resourceAttributes.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The SDK exporter's retry policy (default {@link RetryPolicy#getDefault()}); null disables retries. */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = retryPolicy;
            return this;
        }

        /**
         * Builds the exporter and starts exporting every interval.
         *
         * @throws IllegalArgumentException for an invalid environment variable or endpoint
         */
        public OtlpExporter build() {
            OtlpEnvironment env = new OtlpEnvironment(environment);
            OtlpProtocol resolvedProtocol = protocol != null ? protocol
                    : env.protocol != null ? env.protocol : OtlpProtocol.HTTP_PROTOBUF;
            String resolvedEndpoint = endpoint != null ? endpoint : env.endpoint(resolvedProtocol);
            if (resolvedEndpoint == null) {
                resolvedEndpoint = resolvedProtocol == OtlpProtocol.GRPC ? "http://localhost:4317"
                        : "http://localhost:4318/v1/metrics";
            }
            Map<String, String> resolvedHeaders = new LinkedHashMap<>(env.headers);
            resolvedHeaders.putAll(headers);
            Duration resolvedTimeout = timeout != null ? timeout : env.timeout != null ? env.timeout : Duration.ofSeconds(10);
            String resolvedCompression = compression != null ? compression
                    : env.compression != null ? env.compression : "none";
            Duration resolvedInterval = interval != null ? interval
                    : env.interval != null ? env.interval : Duration.ofSeconds(60);

            MetricExporter exporter = new CountingMetricExporter(
                    exporter(resolvedProtocol, resolvedEndpoint, resolvedHeaders, resolvedTimeout, resolvedCompression),
                    producer.engine());
            PeriodicMetricReader reader = PeriodicMetricReader.builder(exporter)
                    .setInterval(resolvedInterval)
                    .build();
            SdkMeterProvider provider = SdkMeterProvider.builder()
                    .setResource(resource(env))
                    .registerMetricReader(reader)
                    .registerMetricProducer(producer)
                    .build();
            return new OtlpExporter(provider, resolvedTimeout, resolvedEndpoint, resolvedProtocol);
        }

        /** The SDK's default resource (telemetry.sdk.*), then the environment's attributes, then the builder's. */
        Resource resource(OtlpEnvironment env) {
            AttributesBuilder attributes = Attributes.builder();
            env.resourceAttributes.forEach(attributes::put);
            resourceAttributes.forEach(attributes::put);
            // OTEL_SERVICE_NAME wins over service.name in OTEL_RESOURCE_ATTRIBUTES, as the specification says.
            String name = serviceName != null ? serviceName : env.serviceName;
            if (name != null) {
                attributes.put(AttributeKey.stringKey("service.name"), name);
            }
            return Resource.getDefault().merge(Resource.create(attributes.build()));
        }

        private MetricExporter exporter(OtlpProtocol protocol, String endpoint, Map<String, String> headers,
                                        Duration timeout, String compression) {
            // The producer decides its own temporality; the selector only matters for SDK instruments that share
            // the provider, which should then match.
            AggregationTemporalitySelector temporality = producer.temporality() == AggregationTemporality.DELTA
                    ? AggregationTemporalitySelector.deltaPreferred() : AggregationTemporalitySelector.alwaysCumulative();
            if (protocol == OtlpProtocol.GRPC) {
                OtlpGrpcMetricExporterBuilder grpc = OtlpGrpcMetricExporter.builder()
                        .setEndpoint(endpoint).setTimeout(timeout).setCompression(compression)
                        .setRetryPolicy(retryPolicy).setAggregationTemporalitySelector(temporality);
                headers.forEach(grpc::addHeader);
                return grpc.build();
            }
            OtlpHttpMetricExporterBuilder http = OtlpHttpMetricExporter.builder()
                    .setEndpoint(endpoint).setTimeout(timeout).setCompression(compression)
                    .setRetryPolicy(retryPolicy).setAggregationTemporalitySelector(temporality);
            headers.forEach(http::addHeader);
            return http.build();
        }

    }
}
