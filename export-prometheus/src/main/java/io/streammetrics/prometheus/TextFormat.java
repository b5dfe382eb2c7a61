package io.streammetrics.prometheus;

import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;

/** The text exposition formats {@link StoreTextWriter} renders, with client_java's content types. */
public enum TextFormat {
    /** Prometheus text format 0.0.4. */
    PROMETHEUS_TEXT(PrometheusTextFormatWriter.CONTENT_TYPE),
    /** OpenMetrics 1.0 text. */
    OPENMETRICS(OpenMetricsTextFormatWriter.CONTENT_TYPE);

    private final String contentType;

    TextFormat(String contentType) {
        this.contentType = contentType;
    }

    /** The {@code Content-Type} of a response in this format, as client_java's writer declares it. */
    public String contentType() {
        return contentType;
    }
}
