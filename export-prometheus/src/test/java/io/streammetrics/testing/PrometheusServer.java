package io.streammetrics.testing;

import io.streammetrics.json.JsonReader;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A real Prometheus (the binary from tools/fetch-test-servers.sh) on 127.0.0.1 with a given configuration and
 * feature flags, and its HTTP query API read as parsed JSON, native histograms included: what tests that check what
 * Prometheus stored need.
 */
public final class PrometheusServer implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ServerProcess process;
    private final int port;

    private PrometheusServer(ServerProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts Prometheus in {@code workDir} (configuration, data and log there) with {@code config} as its
     * {@code prometheus.yml} and {@code --enable-feature=} each of {@code features}, and waits until it is ready.
     */
    public static PrometheusServer start(Path workDir, String config, String... features)
            throws IOException, InterruptedException {
        return start(workDir, config, List.of(), features);
    }

    /**
     * Starts Prometheus as a remote-write receiver ({@code --web.enable-remote-write-receiver}, at
     * {@link #remoteWriteUrl()}) that scrapes nothing, with {@code --enable-feature=} each of {@code features}.
     */
    public static PrometheusServer startRemoteWriteReceiver(Path workDir, String... features)
            throws IOException, InterruptedException {
        return start(workDir, "global:\n  evaluation_interval: 1m\n", List.of("--web.enable-remote-write-receiver"),
                features);
    }

    private static PrometheusServer start(Path workDir, String config, List<String> flags, String... features)
            throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Path configFile = workDir.resolve("prometheus.yml");
        Files.writeString(configFile, config);
        int port = ServerProcess.freePort();
        List<String> command = new ArrayList<>(List.of(TestServers.path("PROMETHEUS").toString(),
                "--config.file=" + configFile.toAbsolutePath(),
                "--web.listen-address=127.0.0.1:" + port,
                "--storage.tsdb.path=" + workDir.resolve("data").toAbsolutePath()));
        command.addAll(flags);
        for (String feature : features) {
            command.add("--enable-feature=" + feature);
        }
        ServerProcess process = ServerProcess.start("prometheus", command, workDir.resolve("prometheus.log"),
                URI.create("http://127.0.0.1:" + port + "/-/ready"), Duration.ofSeconds(60));
        return new PrometheusServer(process, port);
    }

    /** Where a remote-write receiver ({@link #startRemoteWriteReceiver}) takes writes. */
    public String remoteWriteUrl() {
        return "http://127.0.0.1:" + port + "/api/v1/write";
    }

    /** The value of the one float sample {@code promql} returns, NaN when it returns none (fails on several). */
    public double single(String promql) throws IOException, InterruptedException {
        List<Double> values = values(promql);
        if (values.size() > 1) {
            throw new AssertionError(promql + " returned " + values.size() + " samples: " + values);
        }
        return values.isEmpty() ? Double.NaN : values.get(0);
    }

    /** The {@code data.result} of an instant query; fails on an error answer. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("query " + promql + ": HTTP " + response.statusCode() + " " + response.body());
        }
        Map<String, Object> body = (Map<String, Object>) JsonReader.parse(response.body());
        return (List<Map<String, Object>>) ((Map<String, Object>) body.get("data")).get("result");
    }

    /** The value of each float sample an instant query returns. */
    @SuppressWarnings("unchecked")
    public List<Double> values(String promql) throws IOException, InterruptedException {
        List<Double> values = new ArrayList<>();
        for (Map<String, Object> sample : query(promql)) {
            List<Object> value = (List<Object>) sample.get("value");
            if (value != null) {
                values.add(Double.parseDouble((String) value.get(1)));
            }
        }
        return values;
    }

    /** The native histogram samples an instant query returns (its float samples left out). */
    public List<NativeHistogram> nativeHistograms(String promql) throws IOException, InterruptedException {
        List<NativeHistogram> histograms = new ArrayList<>();
        for (Map<String, Object> sample : query(promql)) {
            if (sample.containsKey("histogram")) {
                histograms.add(NativeHistogram.of(sample));
            }
        }
        return histograms;
    }

    /**
     * Polls {@link #nativeHistograms} until {@code done} accepts them; fails after {@code timeout} with the last
     * answer and the server's log.
     */
    public List<NativeHistogram> awaitNativeHistograms(String promql, Predicate<List<NativeHistogram>> done,
                                                       Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<NativeHistogram> last = List.of();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("Prometheus exited" + process.logText());
            }
            last = nativeHistograms(promql);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + promql + "; last answer " + last + process.logText());
    }

    /**
     * The exemplars {@code /api/v1/query_exemplars} returns for {@code promql} over the last hour: each with its
     * series' labels ({@code seriesLabels}), its own labels ({@code labels}: trace_id, span_id, ...), value and
     * timestamp as the API gives them.
     */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> exemplars(String promql) throws IOException, InterruptedException {
        long now = System.currentTimeMillis() / 1000;
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/v1/query_exemplars?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                        + "&start=" + (now - 3600) + "&end=" + (now + 60)))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("query_exemplars " + promql + ": HTTP " + response.statusCode() + " "
                    + response.body());
        }
        Map<String, Object> body = (Map<String, Object>) JsonReader.parse(response.body());
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> series : (List<Map<String, Object>>) body.get("data")) {
            for (Map<String, Object> exemplar : (List<Map<String, Object>>) series.get("exemplars")) {
                Map<String, Object> entry = new java.util.LinkedHashMap<>(exemplar);
                entry.put("seriesLabels", series.get("seriesLabels"));
                out.add(entry);
            }
        }
        return out;
    }

    /** The server's output so far, for failure messages. */
    public String logText() {
        return process.logText();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }

    /**
     * One native histogram as the query API returns it: its labels, count, sum and non-empty buckets (lower, upper,
     * count; Prometheus leaves empty buckets out).
     */
    public record NativeHistogram(Map<String, Object> labels, double count, double sum, List<double[]> buckets) {
        @SuppressWarnings("unchecked")
        static NativeHistogram of(Map<String, Object> sample) {
            Map<String, Object> histogram = (Map<String, Object>) ((List<Object>) sample.get("histogram")).get(1);
            List<double[]> buckets = new ArrayList<>();
            List<Object> listed = (List<Object>) histogram.getOrDefault("buckets", List.of());
            for (Object entry : listed) {
                List<Object> bucket = (List<Object>) entry;
                buckets.add(new double[] {Double.parseDouble((String) bucket.get(1)),
                        Double.parseDouble((String) bucket.get(2)), Double.parseDouble((String) bucket.get(3))});
            }
            return new NativeHistogram((Map<String, Object>) sample.get("metric"),
                    Double.parseDouble((String) histogram.get("count")), Double.parseDouble((String) histogram.get("sum")),
                    buckets);
        }

        /**
         * The schema, from the ratio of a positive bucket's bounds ({@code 2^(2^-schema)}); the zero bucket (lower
         * bound at most 0) is not one.
         */
        public int schema() {
            for (double[] bucket : buckets) {
                if (bucket[0] > 0) {
                    return (int) Math.round(-Math.log(Math.log(bucket[1] / bucket[0]) / Math.log(2)) / Math.log(2));
                }
            }
            throw new AssertionError("no positive bucket in " + this);
        }

        /** Buckets from the lowest to the highest non-empty positive one, empty ones between included. */
        public int populatedRange() {
            double lowest = Double.MAX_VALUE;
            double highest = 0;
            for (double[] bucket : buckets) {
                if (bucket[0] > 0) {
                    lowest = Math.min(lowest, bucket[0]);
                    highest = Math.max(highest, bucket[1]);
                }
            }
            return highest == 0 ? 0 : (int) Math.round(Math.scalb(Math.log(highest / lowest) / Math.log(2), schema()));
        }

        @Override
        public String toString() {
            return "NativeHistogram" + labels + "[count=" + count + ", " + buckets.size() + " buckets]";
        }
    }
}
