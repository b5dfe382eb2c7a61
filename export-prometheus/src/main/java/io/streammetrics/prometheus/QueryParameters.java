package io.streammetrics.prometheus;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a request's query string, for the handlers mounted on a {@link PrometheusHttpServer} (the
 * scrape's {@code name[]}, the operator API, the console): one parser, so that every endpoint decodes the same way.
 */
public final class QueryParameters {
    private QueryParameters() {
    }

    /**
     * Decodes {@code rawQuery} (as {@link java.net.URI#getRawQuery()} gives it; null or empty for none) as
     * {@code application/x-www-form-urlencoded} UTF-8: {@code +} is a space, a name without {@code =} has the value
     * {@code ""}, and a repeated name keeps every value in order.
     *
     * @return the values of each name, in the order the names first appear (unmodifiable)
     * @throws IllegalArgumentException naming the parameter whose percent-encoding is malformed
     */
    public static Map<String, List<String>> parse(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals), pair);
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1), pair);
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        parameters.replaceAll((name, values) -> Collections.unmodifiableList(values));
        return Collections.unmodifiableMap(parameters);
    }

    private static String decode(String text, String pair) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed query parameter '" + pair + "'");
        }
    }
}
