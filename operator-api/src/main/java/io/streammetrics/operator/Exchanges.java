package io.streammetrics.operator;

import com.sun.net.httpserver.HttpExchange;
import io.streammetrics.json.JsonWriter;
import io.streammetrics.prometheus.QueryParameters;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading requests and writing JSON answers on the JDK server's exchanges. */
final class Exchanges {
    /**
     * Request bodies are small JSON documents (a silence of 32 matchers fits); a larger one is a mistake or an
     * attack. With at most {@code AlertEvaluator.DEFAULT_MAX_SILENCES} silences this also bounds what the silence
     * listings answer.
     */
    static final int MAX_BODY_BYTES = 16 * 1024;

    private Exchanges() {
    }

    /** Answers {@code status} with a JSON body (headers only for HEAD). */
    static void json(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        // Operator data changes every second; a cached copy would show stale alerts.
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Answers {@code status} with {@code {"error":message}}. */
    static void error(HttpExchange exchange, int status, String message) throws IOException {
        json(exchange, status, new JsonWriter().beginObject().name("error").value(message).endObject().toString());
    }

    /**
     * The request body as UTF-8 text.
     *
     * @throws ApiError 413 when it exceeds {@link #MAX_BODY_BYTES}, 400 when it is not valid UTF-8 (decoding it
     *                  leniently would store replacement characters the client never sent)
     */
    static String body(HttpExchange exchange) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (InputStream in = exchange.getRequestBody()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (out.size() + n > MAX_BODY_BYTES) {
                    throw new ApiError(413, "request body larger than " + MAX_BODY_BYTES + " bytes");
                }
                out.write(buffer, 0, n);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(out.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ApiError(400, "request body is not valid UTF-8");
        }
    }

    /** The query parameters, decoded ({@link QueryParameters}); the first value of a repeated name wins. */
    static Map<String, String> query(HttpExchange exchange) {
        Map<String, List<String>> all;
        try {
            all = QueryParameters.parse(exchange.getRequestURI().getRawQuery());
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, e.getMessage());
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        all.forEach((name, values) -> parameters.put(name, values.get(0)));
        return parameters;
    }
}
