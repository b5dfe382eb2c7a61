package io.streammetrics.prometheus;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.MetricNameFilter;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/**
 * Serves one scrape: takes a snapshot, renders it in the format the {@code Accept} header asks for (client_java's
 * negotiation: Prometheus protobuf, OpenMetrics 1.0 or text 0.0.4, the default), gzip-compressed when the client
 * accepts it. The body is rendered into memory before any header is sent, so a failure still answers 500 instead
 * of a truncated 200. Text 0.0.4 and OpenMetrics come from a {@link StoreTextWriter} when one is given (sent from
 * its buffer without a copy unless gzipped), everything else from client_java's writers. Stateless apart from the
 * self-metrics and the store writer's caches, so concurrent scrapes are safe.
 *
 * <p>{@code ?name[]=a&name[]=b} restricts the response to those families, as client_java's exporters do (its
 * {@code MetricNameFilter}): a family is served when a requested name equals its exported name or starts with it,
 * so {@code name[]=jobs_total} selects the counter {@code jobs} and {@code name[]=work_seconds_count} the histogram
 * {@code work_seconds} (and, as in client_java, {@code name[]=queue_depth} also selects a family named
 * {@code queue}). Without {@code name[]} every family is served.
 */
final class MetricsHandler implements HttpHandler {
    private static final System.Logger LOG = System.getLogger(MetricsHandler.class.getName());

    private final String path;
    private final Supplier<MetricSnapshots> source;
    private final ExpositionFormats formats;
    private final StoreTextWriter storeText;
    private final ScrapeMetrics metrics;
    /** Last body size, to size the next buffer: scrapes of one engine vary little. */
    private volatile int lastSize = 16 * 1024;

    /**
     * @param path      the scrape endpoint's path, served exactly
     * @param storeText renders text 0.0.4 and OpenMetrics straight from the store, or null to render every format
     *                  with client_java's writers from {@code source}
     */
    MetricsHandler(String path, Supplier<MetricSnapshots> source, ExpositionFormats formats,
                   StoreTextWriter storeText, ScrapeMetrics metrics) {
        this.path = path;
        this.source = source;
        this.formats = formats;
        this.storeText = storeText;
        this.metrics = metrics;
    }

    /** The format the store writer renders for client_java's choice of writer, or null: client_java writes it. */
    private TextFormat directFormat(ExpositionFormatWriter writer) {
        if (storeText == null) {
            return null;
        }
        if (writer == formats.getPrometheusTextFormatWriter()) {
            return TextFormat.PROMETHEUS_TEXT;
        }
        return writer == formats.getOpenMetricsTextFormatWriter() ? TextFormat.OPENMETRICS : null;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            // Exact path: the JDK server matches contexts by prefix, and /metricsXYZ is not the scrape endpoint.
            if (!exchange.getRequestURI().getPath().equals(path)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            long start = metrics.duration.start();
            ExpositionFormatWriter writer = formats.findWriter(exchange.getRequestHeaders().getFirst("Accept"));
            TextFormat direct = directFormat(writer);
            boolean gzip = acceptsGzip(exchange.getRequestHeaders().get("Accept-Encoding"));
            TextRenderer rendered = null;
            ByteArrayOutputStream body = null;
            try {
                List<String> names = includedNames(exchange.getRequestURI().getRawQuery());
                if (direct != null && !gzip) {
                    // Sent from the renderer's own buffer: no copy.
                    rendered = storeText.render(direct, names);
                } else {
                    body = new ByteArrayOutputStream(lastSize + lastSize / 8);
                    try (OutputStream out = gzip ? new GZIPOutputStream(body) : body) {
                        if (direct != null) {
                            storeText.write(out, direct, names);
                        } else {
                            writer.write(out, filter(source.get(), names));
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                metrics.errors.increment();
                LOG.log(System.Logger.Level.WARNING, "scrape failed", e);
                byte[] message = ("scrape failed: " + e).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                exchange.sendResponseHeaders(500, message.length);
                exchange.getResponseBody().write(message);
                return;
            }
            int size = rendered != null ? rendered.length() : body.size();
            lastSize = size;
            exchange.getResponseHeaders().set("Content-Type", writer.getContentType());
            // Caches between Prometheus and us must key on the negotiated representation.
            exchange.getResponseHeaders().set("Vary", "Accept, Accept-Encoding");
            if (gzip) {
                exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            }
            try {
                if (method.equals("HEAD")) {
                    exchange.sendResponseHeaders(200, -1);
                } else {
                    exchange.sendResponseHeaders(200, size);
                    try (OutputStream out = exchange.getResponseBody()) {
                        if (rendered != null) {
                            out.write(rendered.bytes(), 0, size);
                        } else {
                            body.writeTo(out);
                        }
                    }
                }
            } catch (IOException e) {
                // The scraper went away (timeout, restart): count it, it is not ours to rethrow.
                metrics.errors.increment();
                LOG.log(System.Logger.Level.DEBUG, "could not send scrape response", e);
                return;
            } finally {
                if (rendered != null) {
                    storeText.release(rendered);
                }
            }
            metrics.scrapes.increment();
            metrics.duration.recordSince(start);
        }
    }

    /** The non-empty values of the {@code name[]} query parameters, decoded; empty when there are none. */
    static List<String> includedNames(String rawQuery) {
        List<String> names = new ArrayList<>();
        for (String name : QueryParameters.parse(rawQuery).getOrDefault("name[]", List.of())) {
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    static MetricSnapshots filter(MetricSnapshots snapshots, List<String> names) {
        if (names.isEmpty()) {
            return snapshots;
        }
        MetricNameFilter filter = MetricNameFilter.builder().nameMustBeEqualTo(names).build();
        List<MetricSnapshot> kept = new ArrayList<>();
        for (MetricSnapshot snapshot : snapshots) {
            if (filter.test(snapshot.getMetadata().getPrometheusName())) {
                kept.add(snapshot);
            }
        }
        return new MetricSnapshots(kept);
    }

    /** Whether an Accept-Encoding header list accepts gzip (q=0 refuses it). */
    static boolean acceptsGzip(List<String> headers) {
        if (headers == null) {
            return false;
        }
        for (String header : headers) {
            for (String coding : header.split(",")) {
                String[] parts = coding.trim().split(";");
                if (!parts[0].trim().equalsIgnoreCase("gzip")) {
                    continue;
                }
                boolean refused = false;
                for (int i = 1; i < parts.length; i++) {
                    String parameter = parts[i].trim().replace(" ", "");
                    if (parameter.matches("(?i)q=0(\\.0*)?")) {
                        refused = true;
                    }
                }
                return !refused;
            }
        }
        return false;
    }
}
