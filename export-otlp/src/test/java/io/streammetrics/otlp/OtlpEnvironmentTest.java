package io.streammetrics.otlp;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.resources.Resource;
import io.streammetrics.MetricsEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing of the standard OTEL_* variables from an injected map, and their precedence in the builder. */
class OtlpEnvironmentTest {
    private final MetricsEngine engine = MetricsEngine.builder().build().start();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void parsesEveryVariable() {
        OtlpEnvironment env = new OtlpEnvironment(Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc",
                "OTEL_EXPORTER_OTLP_HEADERS", "api-key=s3cr%20t+x, tenant = a=b ",
                "OTEL_EXPORTER_OTLP_TIMEOUT", "2500",
                "OTEL_EXPORTER_OTLP_COMPRESSION", "GZIP",
                "OTEL_METRIC_EXPORT_INTERVAL", "15000",
                "OTEL_SERVICE_NAME", "orders",
                "OTEL_RESOURCE_ATTRIBUTES", "service.name=ignored,deployment.environment=prod%2Feu"));
        assertEquals(OtlpProtocol.GRPC, env.protocol);
        assertEquals("http://collector:4318", env.endpoint(OtlpProtocol.GRPC));
        assertEquals("http://collector:4318/v1/metrics", env.endpoint(OtlpProtocol.HTTP_PROTOBUF));
        assertEquals(Map.of("api-key", "s3cr t+x", "tenant", "a=b"), env.headers);
        assertEquals(Duration.ofMillis(2500), env.timeout);
        assertEquals("gzip", env.compression);
        assertEquals(Duration.ofSeconds(15), env.interval);
        assertEquals("orders", env.serviceName);
        assertEquals("prod/eu", env.resourceAttributes.get("deployment.environment"));
    }

    @Test
    void signalSpecificVariablesWin() {
        OtlpEnvironment env = new OtlpEnvironment(Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/",
                "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://metrics:9090/otlp/v1/metrics",
                "OTEL_EXPORTER_OTLP_TIMEOUT", "1000",
                "OTEL_EXPORTER_OTLP_METRICS_TIMEOUT", "3s"));
        assertEquals("http://metrics:9090/otlp/v1/metrics", env.endpoint(OtlpProtocol.HTTP_PROTOBUF));
        assertEquals(Duration.ofSeconds(3), env.timeout);
        OtlpEnvironment base = new OtlpEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"));
        assertEquals("http://collector:4318/v1/metrics", base.endpoint(OtlpProtocol.HTTP_PROTOBUF), "no double slash");
    }

    @Test
    void unsetAndBlankAreAbsent() {
        OtlpEnvironment env = new OtlpEnvironment(Map.of("OTEL_EXPORTER_OTLP_TIMEOUT", " "));
        assertNull(env.timeout);
        assertNull(env.protocol);
        assertNull(env.endpoint(OtlpProtocol.HTTP_PROTOBUF));
        assertTrue(env.headers.isEmpty());
    }

    @Test
    void invalidValuesNameTheVariable() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new OtlpEnvironment(Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"))).getMessage()
                .contains("OTEL_EXPORTER_OTLP_PROTOCOL"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new OtlpEnvironment(Map.of("OTEL_EXPORTER_OTLP_METRICS_TIMEOUT", "soon"))).getMessage()
                .contains("OTEL_EXPORTER_OTLP_METRICS_TIMEOUT"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new OtlpEnvironment(Map.of("OTEL_EXPORTER_OTLP_HEADERS", "novalue"))).getMessage()
                .contains("OTEL_EXPORTER_OTLP_HEADERS"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new OtlpEnvironment(Map.of("OTEL_EXPORTER_OTLP_COMPRESSION", "zstd"))).getMessage()
                .contains("OTEL_EXPORTER_OTLP_COMPRESSION"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new OtlpEnvironment(Map.of("OTEL_METRIC_EXPORT_INTERVAL", "-5"))).getMessage()
                .contains("OTEL_METRIC_EXPORT_INTERVAL"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new OtlpEnvironment(Map.of("OTEL_EXPORTER_OTLP_TIMEOUT", "0"))).getMessage()
                .contains("OTEL_EXPORTER_OTLP_TIMEOUT"));
        // issue 15 item 8: the one checked duration parser, not an ArithmeticException from an overflow
        String tooLong = assertThrows(IllegalArgumentException.class,
                () -> new OtlpEnvironment(Map.of("OTEL_METRIC_EXPORT_INTERVAL", "9999999999999999h"))).getMessage();
        assertTrue(tooLong.contains("OTEL_METRIC_EXPORT_INTERVAL") && tooLong.contains("is too long"), tooLong);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new OtlpEnvironment(Map.of("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "http/json"))).getMessage()
                .contains("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL"));
    }

    @Test
    void builderResolvesExplicitOverEnvironmentOverDefaults() {
        try (OtlpExporter defaults = quiet(OtlpExporter.builder(engine).environment(Map.of())).build()) {
            assertEquals("http://localhost:4318/v1/metrics", defaults.endpoint());
            assertEquals(OtlpProtocol.HTTP_PROTOBUF, defaults.protocol());
        }
        Map<String, String> env = Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
        try (OtlpExporter fromEnv = quiet(OtlpExporter.builder(engine).environment(env)).build()) {
            assertEquals("http://collector:4317", fromEnv.endpoint());
            assertEquals(OtlpProtocol.GRPC, fromEnv.protocol());
        }
        try (OtlpExporter explicit = quiet(OtlpExporter.builder(engine).environment(env))
                .protocol(OtlpProtocol.HTTP_PROTOBUF).build()) {
            assertEquals("http://collector:4317/v1/metrics", explicit.endpoint(), "env base endpoint + http path");
            assertEquals(OtlpProtocol.HTTP_PROTOBUF, explicit.protocol());
        }
    }

    /** No retries and a short timeout: close() exports once more, to an endpoint nobody listens on. */
    private static OtlpExporter.Builder quiet(OtlpExporter.Builder builder) {
        return builder.retryPolicy(null).timeout(Duration.ofMillis(200));
    }

    @Test
    void serviceNameVariableWinsOverResourceAttributesAndBuilderWinsOverBoth() {
        OtlpEnvironment env = new OtlpEnvironment(Map.of("OTEL_SERVICE_NAME", "from-env",
                "OTEL_RESOURCE_ATTRIBUTES", "service.name=attrs,team=core"));
        Resource resource = OtlpExporter.builder(engine).resource(env);
        assertEquals("from-env", resource.getAttribute(AttributeKey.stringKey("service.name")));
        assertEquals("core", resource.getAttribute(AttributeKey.stringKey("team")));
        assertEquals("opentelemetry", resource.getAttribute(AttributeKey.stringKey("telemetry.sdk.name")));
        Resource explicit = OtlpExporter.builder(engine).serviceName("mine").resourceAttribute("team", "x").resource(env);
        assertEquals("mine", explicit.getAttribute(AttributeKey.stringKey("service.name")));
        assertEquals("x", explicit.getAttribute(AttributeKey.stringKey("team")));
        Resource none = OtlpExporter.builder(engine).resource(new OtlpEnvironment(Map.of()));
        assertEquals("unknown_service:java", none.getAttribute(AttributeKey.stringKey("service.name")));
    }
}
