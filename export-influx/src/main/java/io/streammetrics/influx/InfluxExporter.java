package io.streammetrics.influx;

import io.streammetrics.MetricsEngine;
import io.streammetrics.push.PushEncoder;
import io.streammetrics.push.PushExporter;
import io.streammetrics.push.PushExporterBuilder;
import io.streammetrics.push.PushLoop;
import io.streammetrics.push.PushSettings;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Pushes an engine's metrics as InfluxDB line protocol over HTTP: to InfluxDB 1.x ({@code /write?db=&rp=}),
 * InfluxDB 2.x and 3.x ({@code /api/v2/write?org=&bucket=}, {@code Authorization: Token}), and to every database
 * that takes line protocol the same way (QuestDB, VictoriaMetrics, Telegraf's HTTP listener, ...).
 *
 * <pre>{@code
 * InfluxExporter influx = InfluxExporter.builder(engine)
 *         .endpoint("http://influxdb:8086")
 *         .bucket("metrics").org("ops").token(secret)      // 2.x/3.x; or .database("metrics") for 1.x
 *         .externalLabel("host", "worker-1")
 *         .build();                                        // pushes every 15 s on its own thread
 * ...
 * influx.close();                                          // one last push, then stops
 * }</pre>
 *
 * <p>Mapping (as Micrometer's Influx registry and Telegraf's Prometheus input do it): a family is a measurement
 * (its Prometheus name without {@code _total}), labels are tags; a counter writes {@code value} (cumulative; with
 * {@link Builder#counterDelta(boolean)} also {@code delta}, the increase since the last delivered push), a gauge
 * {@code value}, a histogram or timer {@code count}, {@code sum}, {@code min}, {@code max} and the quantiles of
 * {@link Builder#quantiles(double...)} (default p50, p90, p99, p99_9, from the HDR buckets), and with
 * {@link Builder#classicBuckets(boolean)} its cumulative classic bucket counts as fields named by their {@code le}.
 *
 * <p>Failures: as for remote write (see {@link PushLoop}); counted in
 * {@code streammetrics_push_samples_total{exporter="influx",result}}, where a sample is one field value.
 */
public final class InfluxExporter extends PushExporter {
    /** The exporter label of the self-metrics. */
    public static final String EXPORTER = "influx";

    private InfluxExporter(PushLoop loop) {
        super(loop);
    }

    /** A builder for an exporter of {@code engine}'s metrics. */
    public static Builder builder(MetricsEngine engine) {
        return new Builder(engine);
    }

    /**
     * Settings of an {@link InfluxExporter}; see {@link PushExporterBuilder} for the shared ones. The endpoint is
     * the server's base URL ({@code http://host:8086}); the API path follows from {@link #database} (1.x) or
     * {@link #bucket} (2.x, 3.x), exactly one of which must be set.
     */
    public static final class Builder extends PushExporterBuilder<Builder> {
        private String database;
        private String retentionPolicy;
        private String bucket;
        private String org;
        private Precision precision = Precision.NANOSECONDS;
        private boolean gzip;
        private double[] quantiles = {0.5, 0.9, 0.99, 0.999};
        private boolean classicBuckets;
        private boolean counterDelta;

        private Builder(MetricsEngine engine) {
            super(engine);
        }

        /**
         * Endpoint, API and its parameters from one write URL as InfluxDB's documentation gives it:
         * {@code http://host:8086/write?db=NAME[&rp=RP][&precision=ms]} (1.x) or
         * {@code http://host:8086/api/v2/write?org=ORG&bucket=NAME[&precision=ms]} (2.x, 3.x).
         */
        public Builder writeUrl(String url) {
            URI uri;
            try {
                uri = new URI(Objects.requireNonNull(url, "url"));
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("invalid InfluxDB write URL '" + url + "': " + e.getMessage(), e);
            }
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            boolean v2 = path.endsWith("/api/v2/write");
            if (!v2 && !path.endsWith("/write")) {
                throw new IllegalArgumentException("invalid InfluxDB write URL '" + url
                        + "': the path must end in /write (1.x) or /api/v2/write (2.x, 3.x)");
            }
            String base = path.substring(0, path.length() - (v2 ? "/api/v2/write" : "/write").length());
            endpoint(uri.getScheme() + "://" + uri.getRawAuthority() + base);
            String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (pair.isEmpty() || eq < 0) {
                    continue;
                }
                String name = pair.substring(0, eq);
                String value = java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                switch (name) {
                    case "db" -> database(value);
                    case "rp" -> retentionPolicy(value);
                    case "org" -> org(value);
                    case "bucket" -> bucket(value);
                    case "precision" -> precision(Precision.fromName(value));
                    default -> throw new IllegalArgumentException("invalid InfluxDB write URL '" + url
                            + "': unknown parameter '" + name + "'");
                }
            }
            return this;
        }

        /** InfluxDB 1.x: write to {@code /write?db=database}. */
        public Builder database(String database) {
            this.database = text("database", database);
            return this;
        }

        /** InfluxDB 1.x: the retention policy ({@code rp=}); default the database's default. */
        public Builder retentionPolicy(String retentionPolicy) {
            this.retentionPolicy = text("retention policy", retentionPolicy);
            return this;
        }

        /** InfluxDB 2.x/3.x: write to {@code /api/v2/write?bucket=bucket}. */
        public Builder bucket(String bucket) {
            this.bucket = text("bucket", bucket);
            return this;
        }

        /** InfluxDB 2.x: the organization ({@code org=}). */
        public Builder org(String org) {
            this.org = text("org", org);
            return this;
        }

        /** InfluxDB 2.x/3.x API token ({@code Authorization: Token ...}). */
        public Builder token(String token) {
            return authorization("Token " + text("token", token));
        }

        /** Timestamp precision (default nanoseconds). */
        public Builder precision(Precision precision) {
            this.precision = Objects.requireNonNull(precision, "precision");
            return this;
        }

        /** Whether bodies are gzip-compressed ({@code Content-Encoding: gzip}); default false. */
        public Builder gzip(boolean gzip) {
            this.gzip = gzip;
            return this;
        }

        /**
         * Quantiles written for histograms and timers, each in (0, 1] (none: no quantile fields); default 0.5, 0.9,
         * 0.99, 0.999.
         */
        public Builder quantiles(double... quantiles) {
            double[] copy = quantiles.clone();
            java.util.Arrays.sort(copy);
            for (int i = 0; i < copy.length; i++) {
                if (!(copy[i] > 0 && copy[i] <= 1)) {
                    throw new IllegalArgumentException("quantile " + copy[i] + " is not in (0, 1]");
                }
                if (i > 0 && copy[i] == copy[i - 1]) {
                    throw new IllegalArgumentException("quantile " + copy[i] + " is given twice");
                }
            }
            this.quantiles = copy;
            return this;
        }

        /** Whether histograms and timers also write their cumulative classic bucket counts; default false. */
        public Builder classicBuckets(boolean classicBuckets) {
            this.classicBuckets = classicBuckets;
            return this;
        }

        /** Whether counters also write {@code delta}, the increase since the last delivered push; default false. */
        public Builder counterDelta(boolean counterDelta) {
            this.counterDelta = counterDelta;
            return this;
        }

        /**
         * The encoder these settings describe, without a push loop (no endpoint needed): each
         * {@link PushEncoder#encode()} returns the engine's current state as one line-protocol body (gzip when
         * asked). For benchmarks, or to send the lines over a transport of one's own.
         */
        public PushEncoder encoder() {
            return new LineProtocolEncoder(engine, externalLabels(), precision, quantiles, classicBuckets,
                    counterDelta, gzip);
        }

        /** Builds the exporter and starts its push loop. */
        public InfluxExporter build() {
            PushSettings settings = settings();
            if ((database == null) == (bucket == null)) {
                throw new IllegalArgumentException("set exactly one of database (InfluxDB 1.x /write) and bucket "
                        + "(InfluxDB 2.x/3.x /api/v2/write)");
            }
            if (database == null && retentionPolicy != null) {
                throw new IllegalArgumentException("retention policy is an InfluxDB 1.x setting; use database");
            }
            if (bucket == null && org != null) {
                throw new IllegalArgumentException("org is an InfluxDB 2.x setting; use bucket");
            }
            PushSettings writeSettings = settings.withEndpoint(writeUri(settings.endpoint()));
            PushEncoder encoder = encoder();
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "text/plain; charset=utf-8");
            if (gzip) {
                headers.put("Content-Encoding", "gzip");
            }
            String version = InfluxExporter.class.getPackage().getImplementationVersion();
            headers.put("User-Agent", "streammetrics-influx/" + (version == null ? "0.1" : version));
            return new InfluxExporter(startLoop(EXPORTER, writeSettings, headers, encoder));
        }

        /** The write URL for {@code base}: the API path of the version and its parameters. */
        private URI writeUri(URI base) {
            StringBuilder query = new StringBuilder();
            String path;
            if (database != null) {
                path = "/write";
                param(query, "db", database);
                param(query, "rp", retentionPolicy);
                param(query, "precision", precision.v1Name());
            } else {
                path = "/api/v2/write";
                param(query, "org", org);
                param(query, "bucket", bucket);
                param(query, "precision", precision.v2Name());
            }
            return URI.create(base.toString().replaceAll("/+$", "") + path + "?" + query);
        }

        /** For tests: the write URL {@link #build()} would use. */
        String encoderEndpoint() {
            return writeUri(settings().endpoint()).toString();
        }

        private static void param(StringBuilder query, String name, String value) {
            if (value != null) {
                query.append(query.length() == 0 ? "" : "&").append(name).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }

        private static String text(String what, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(what + " must not be empty");
            }
            return value;
        }
    }
}
