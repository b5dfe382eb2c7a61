package io.streammetrics.otlp;

import io.streammetrics.common.Durations;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The OpenTelemetry SDK environment variables an OTLP metrics exporter honours, parsed from a map (normally
 * {@code System.getenv()}): {@code OTEL_EXPORTER_OTLP_[METRICS_]ENDPOINT}, {@code ..._PROTOCOL},
 * {@code ..._HEADERS}, {@code ..._TIMEOUT}, {@code ..._COMPRESSION} (the {@code METRICS_} variant wins),
 * {@code OTEL_METRIC_EXPORT_INTERVAL}, {@code OTEL_SERVICE_NAME} and {@code OTEL_RESOURCE_ATTRIBUTES}. Unset or
 * blank variables are null here; invalid ones fail with {@link IllegalArgumentException} naming the variable, as the
 * SDK's autoconfiguration does.
 */
final class OtlpEnvironment {
    /** Appended to {@code OTEL_EXPORTER_OTLP_ENDPOINT} for http/protobuf, as the specification says. */
    static final String HTTP_METRICS_PATH = "v1/metrics";

    /** {@code OTEL_EXPORTER_OTLP_ENDPOINT}: the base URL for every signal. */
    final String baseEndpoint;
    /** {@code OTEL_EXPORTER_OTLP_METRICS_ENDPOINT}: the full URL, used as is. */
    final String metricsEndpoint;
    final OtlpProtocol protocol;
    final Map<String, String> headers;
    final Duration timeout;
    final String compression;
    final Duration interval;
    final String serviceName;
    final Map<String, String> resourceAttributes;

    OtlpEnvironment(Map<String, String> env) {
        this.baseEndpoint = get(env, "OTEL_EXPORTER_OTLP_ENDPOINT");
        this.metricsEndpoint = get(env, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT");
        String protocolName = signal(env, "PROTOCOL");
        this.protocol = protocolName == null ? null : parseProtocol(protocolName, signalName(env, "PROTOCOL"));
        String headerList = signal(env, "HEADERS");
        this.headers = headerList == null ? Map.of() : keyValues(headerList, signalName(env, "HEADERS"));
        String timeoutValue = signal(env, "TIMEOUT");
        this.timeout = timeoutValue == null ? null : duration(timeoutValue, signalName(env, "TIMEOUT"));
        String compressionValue = signal(env, "COMPRESSION");
        this.compression = compressionValue == null ? null : compression(compressionValue, signalName(env, "COMPRESSION"));
        String intervalValue = get(env, "OTEL_METRIC_EXPORT_INTERVAL");
        this.interval = intervalValue == null ? null : duration(intervalValue, "OTEL_METRIC_EXPORT_INTERVAL");
        this.serviceName = get(env, "OTEL_SERVICE_NAME");
        String attributes = get(env, "OTEL_RESOURCE_ATTRIBUTES");
        this.resourceAttributes = attributes == null ? Map.of() : keyValues(attributes, "OTEL_RESOURCE_ATTRIBUTES");
    }

    /**
     * The metrics endpoint for {@code protocol}, or null when neither endpoint variable is set: the metrics variable
     * as is; else the base URL, plus {@code /v1/metrics} for http/protobuf (gRPC has no path).
     */
    String endpoint(OtlpProtocol protocol) {
        if (metricsEndpoint != null) {
            return metricsEndpoint;
        }
        if (baseEndpoint == null) {
            return null;
        }
        if (protocol == OtlpProtocol.GRPC) {
            return baseEndpoint;
        }
        return baseEndpoint.endsWith("/") ? baseEndpoint + HTTP_METRICS_PATH : baseEndpoint + "/" + HTTP_METRICS_PATH;
    }

    private static String get(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The {@code OTEL_EXPORTER_OTLP_METRICS_<key>} value, else the {@code OTEL_EXPORTER_OTLP_<key>} one. */
    private static String signal(Map<String, String> env, String key) {
        String specific = get(env, "OTEL_EXPORTER_OTLP_METRICS_" + key);
        return specific != null ? specific : get(env, "OTEL_EXPORTER_OTLP_" + key);
    }

    private static String signalName(Map<String, String> env, String key) {
        return get(env, "OTEL_EXPORTER_OTLP_METRICS_" + key) != null ? "OTEL_EXPORTER_OTLP_METRICS_" + key
                : "OTEL_EXPORTER_OTLP_" + key;
    }

    private static OtlpProtocol parseProtocol(String value, String variable) {
        try {
            return OtlpProtocol.fromId(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(variable + ": " + e.getMessage(), e);
        }
    }

    /**
     * A W3C-baggage-like list {@code key1=value1,key2=value2}: keys and values trimmed, values percent-decoded
     * ({@code +} stays a plus, unlike form decoding).
     */
    static Map<String, String> keyValues(String list, String variable) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String entry : list.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0 || entry.substring(0, eq).isBlank()) {
                throw new IllegalArgumentException(variable + ": invalid entry '" + entry.trim()
                        + "', expected key=value[,key=value...]");
            }
            String key = entry.substring(0, eq).trim();
            String raw = entry.substring(eq + 1).trim();
            String value;
            try {
                value = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(variable + ": invalid percent-encoding in the value of '" + key + "'", e);
            }
            result.put(key, value);
        }
        return Collections.unmodifiableMap(result);
    }

    /**
     * A duration: an integer number of milliseconds (what the specification defines), or, as the Java SDK's
     * autoconfiguration also accepts, an integer with unit {@code ms}, {@code s}, {@code m} or {@code h}; checked by
     * {@link Durations#parse}, so that a value too large is an error rather than an overflow.
     */
    static Duration duration(String value, String variable) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        Duration duration;
        try {
            duration = Durations.parse(!v.isEmpty() && v.chars().allMatch(c -> c >= '0' && c <= '9') ? v + "ms" : v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(variable + ": invalid duration '" + value
                    + "', expected milliseconds (e.g. 10000) or a number with ms, s, m or h (" + e.getMessage() + ")", e);
        }
        if (duration.isZero()) {
            // A zero timeout or interval would make every export fail or spin: reject it like a typo.
            throw new IllegalArgumentException(variable + ": duration must be positive, got '" + value + "'");
        }
        return duration;
    }

    private static String compression(String value, String variable) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (!v.equals("gzip") && !v.equals("none")) {
            throw new IllegalArgumentException(variable + ": unsupported compression '" + value + "', use gzip or none");
        }
        return v;
    }
}
