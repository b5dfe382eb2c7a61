package io.streammetrics.remotewrite;

import io.streammetrics.MetricsEngine;
import io.streammetrics.push.PushEncoder;
import io.streammetrics.push.PushExporter;
import io.streammetrics.push.PushExporterBuilder;
import io.streammetrics.push.PushLoop;
import io.streammetrics.push.PushSettings;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Pushes an engine's metrics with Prometheus remote write 1.0 (protobuf {@code WriteRequest}, snappy block
 * compression) to Prometheus ({@code --web.enable-remote-write-receiver}), VictoriaMetrics, Mimir, Cortex, Thanos
 * Receive, Grafana Cloud or any other remote-write receiver, without an agent beside the process.
 *
 * <pre>{@code
 * RemoteWriteExporter remoteWrite = RemoteWriteExporter.builder(engine)
 *         .endpoint("https://mimir.example/api/v1/push")
 *         .externalLabel("job", "orders-consumer")
 *         .externalLabel("instance", "host-1")
 *         .basicAuth("tenant", secret)
 *         .interval(Duration.ofSeconds(15))
 *         .build();                        // pushes every 15 s on its own thread
 * ...
 * remoteWrite.close();                     // one last push, then stops
 * }</pre>
 *
 * <p>Mapping: counters as {@code <name>_total}, gauges as {@code <name>}, histograms and timers (seconds) as
 * classic {@code <name>_bucket{le}} (the family's declared bounds and {@code +Inf}), {@code _sum} and
 * {@code _count}: the same series and names a Prometheus scrape of the engine gives. A family sent as
 * {@link HistogramFormat#NATIVE} (or {@code BOTH}) becomes a native histogram in the request's histogram field, mapped
 * as the scrape maps it (at most {@link Builder#nativeMaxNumberOfBuckets(int)} buckets); the receiver must accept
 * native histograms (Prometheus: {@code --enable-feature=native-histograms}). One {@code MetricMetadata}
 * (type, help, unit) per family rides along in every request unless {@link Builder#metadata(boolean)} turns it off.
 * Every sample of a push carries the engine's read time.
 *
 * <p>Failures: no answer, 5xx and 429 are retried with back-off (honouring {@code Retry-After}), other 4xx drop the
 * batch; recording never waits, and memory stays at one request while the receiver is down (see
 * {@link PushLoop}). Counted in {@code streammetrics_push_samples_total{exporter="remote_write",result}}.
 */
public final class RemoteWriteExporter extends PushExporter {
    /** The exporter label of the self-metrics. */
    public static final String EXPORTER = "remote_write";

    private RemoteWriteExporter(PushLoop loop) {
        super(loop);
    }

    /** A builder for an exporter of {@code engine}'s metrics. */
    public static Builder builder(MetricsEngine engine) {
        return new Builder(engine);
    }

    /** Settings of a {@link RemoteWriteExporter}; see {@link PushExporterBuilder} for the shared ones. */
    public static final class Builder extends PushExporterBuilder<Builder> {
        private final Map<String, HistogramFormat> formats = new HashMap<>();
        private HistogramFormat defaultFormat = HistogramFormat.CLASSIC;
        private boolean metadata = true;
        private int nativeMaxBuckets = 160;

        private Builder(MetricsEngine engine) {
            super(engine);
        }

        /** How histogram and timer families are sent unless {@link #histogramFormat(String, HistogramFormat)} says. */
        public Builder histogramFormat(HistogramFormat format) {
            this.defaultFormat = Objects.requireNonNull(format, "format");
            return this;
        }

        /** How the histogram or timer family {@code familyName} (as registered) is sent. */
        public Builder histogramFormat(String familyName, HistogramFormat format) {
            formats.put(Objects.requireNonNull(familyName, "familyName"), Objects.requireNonNull(format, "format"));
            return this;
        }

        /**
         * The most buckets of a native histogram, from its lowest to its highest non-empty one (default 160, as
         * client_java's {@code nativeMaxNumberOfBuckets}): the schema is lowered until the range fits. 0 for no
         * limit.
         */
        public Builder nativeMaxNumberOfBuckets(int maxBuckets) {
            if (maxBuckets < 0) {
                throw new IllegalArgumentException("native max number of buckets must not be negative, got "
                        + maxBuckets);
            }
            this.nativeMaxBuckets = maxBuckets;
            return this;
        }

        /** Whether each request carries the families' metadata (type, help, unit); default true. */
        public Builder metadata(boolean metadata) {
            this.metadata = metadata;
            return this;
        }

        /**
         * The encoder these settings describe, without a push loop (no endpoint needed): each
         * {@link PushEncoder#encode()} returns one snappy-compressed {@code WriteRequest} of the engine's current
         * state. For benchmarks, or to send requests over a transport of one's own.
         */
        public PushEncoder encoder() {
            Map<String, HistogramFormat> familyFormats = Map.copyOf(formats);
            HistogramFormat fallback = defaultFormat;
            return new RemoteWriteEncoder(engine, externalLabels(), name -> familyFormats.getOrDefault(name, fallback),
                    metadata, nativeMaxBuckets);
        }

        /** Builds the exporter and starts its push loop. */
        public RemoteWriteExporter build() {
            PushSettings settings = settings();
            PushEncoder encoder = encoder();
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/x-protobuf");
            headers.put("Content-Encoding", "snappy");
            headers.put("X-Prometheus-Remote-Write-Version", "0.1.0");
            headers.put("User-Agent", userAgent());
            return new RemoteWriteExporter(startLoop(EXPORTER, settings, headers, encoder));
        }

        private static String userAgent() {
            String version = RemoteWriteExporter.class.getPackage().getImplementationVersion();
            return "streammetrics-remote-write/" + (version == null ? "0.1" : version);
        }
    }
}
