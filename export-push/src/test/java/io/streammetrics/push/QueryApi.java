package io.streammetrics.push;

import io.streammetrics.json.JsonReader;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The Prometheus query API ({@code /api/v1/query}) of Prometheus or VictoriaMetrics, for reading pushes back. */
public final class QueryApi {
    /** One series of an instant vector. */
    public record Result(Map<String, String> labels, double value) {
    }

    private final String base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** A client for the server at {@code base} (e.g. {@code http://127.0.0.1:9090}). */
    public QueryApi(String base) {
        this.base = base;
    }

    /** The instant vector of {@code promql} at the server's now; fails on an error answer. */
    @SuppressWarnings("unchecked")
    public List<Result> query(String promql) throws IOException, InterruptedException {
        String body = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        Map<String, Object> answer = (Map<String, Object>) JsonReader.parse(body);
        if (!"success".equals(answer.get("status"))) {
            throw new AssertionError("query " + promql + " failed: " + body);
        }
        Map<String, Object> data = (Map<String, Object>) answer.get("data");
        List<Result> results = new ArrayList<>();
        if (!"vector".equals(data.get("resultType"))) {
            throw new AssertionError("query " + promql + " is not a vector: " + body);
        }
        for (Object item : (List<Object>) data.get("result")) {
            Map<String, Object> series = (Map<String, Object>) item;
            Map<String, String> labels = new TreeMap<>();
            ((Map<String, Object>) series.get("metric")).forEach((k, v) -> labels.put(k, (String) v));
            List<Object> value = (List<Object>) series.get("value");
            results.add(new Result(labels, Double.parseDouble((String) value.get(1))));
        }
        return results;
    }

    /** The value of the one series {@code promql} returns, or NaN when it returns none (fails on several). */
    public double single(String promql) throws IOException, InterruptedException {
        List<Result> results = query(promql);
        if (results.size() > 1) {
            throw new AssertionError(promql + " returned " + results.size() + " series: " + results);
        }
        return results.isEmpty() ? Double.NaN : results.get(0).value();
    }

    /** GETs {@code pathAndQuery}; fails on a non-200 answer. */
    public String get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + pathAndQuery + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }
}
