package io.streammetrics.otlp;

/** The OTLP transport, named as in {@code OTEL_EXPORTER_OTLP_PROTOCOL}. */
public enum OtlpProtocol {
    /** Protobuf over HTTP (default; port 4318, path {@code /v1/metrics}). */
    HTTP_PROTOBUF("http/protobuf"),
    /** gRPC (port 4317). */
    GRPC("grpc");

    private final String id;

    OtlpProtocol(String id) {
        this.id = id;
    }

    /** The name used by {@code OTEL_EXPORTER_OTLP_PROTOCOL}. */
    public String id() {
        return id;
    }

    /**
     * The protocol with this {@code OTEL_EXPORTER_OTLP_PROTOCOL} name.
     *
     * @throws IllegalArgumentException for anything else ({@code http/json} included: the SDK's exporters do not
     *                                  send it)
     */
    public static OtlpProtocol fromId(String id) {
        for (OtlpProtocol protocol : values()) {
            if (protocol.id.equals(id.trim())) {
                return protocol;
            }
        }
        throw new IllegalArgumentException("unsupported OTLP protocol '" + id + "': use http/protobuf or grpc");
    }
}
