package io.streammetrics.console;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.streammetrics.dashboard.Dashboard;
import io.streammetrics.json.JsonWriter;
import io.streammetrics.prometheus.QueryParameters;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Serves the console under its prefix: the page's files and two read-only JSON endpoints, {@code api/update} (the
 * history after {@code since}, with the series of the expressions {@code w} the page charts) and
 * {@code api/metrics} (the selector's catalogue). Only GET and HEAD: the page's writes (acknowledge, silence) go to
 * the operator API under {@code /api/}, whose checks apply to them. Every answer carries a Content-Security-Policy
 * that allows only the console's own scripts and styles, so that even a label value that escaped the page's
 * escaping could not run.
 */
final class ConsoleHandler implements HttpHandler {
    /** Most expressions one page may chart. */
    static final int MAX_EXPRESSIONS = 64;
    /** Longest expression accepted from a page. */
    static final int MAX_EXPRESSION_LENGTH = 1_000;
    private static final int GZIP_ABOVE_BYTES = 8 * 1024;
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final String prefix;
    private final Dashboard dashboard;
    private final ConsoleHistory history;
    private final StaticResources resources;

    ConsoleHandler(String prefix, Dashboard dashboard, ConsoleHistory history, StaticResources resources) {
        this.prefix = prefix;
        this.dashboard = dashboard;
        this.history = history;
        this.resources = resources;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Headers headers = exchange.getResponseHeaders();
            headers.set("Content-Security-Policy", CSP);
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("X-Frame-Options", "DENY");
            headers.set("Referrer-Policy", "no-referrer");
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                headers.set("Allow", "GET, HEAD");
                error(exchange, 405, "method " + method + " not allowed; the console only reads (writes go to /api/)");
                return;
            }
            String rest = exchange.getRequestURI().getPath().substring(prefix.length());
            try {
                switch (rest) {
                    case "api/update" -> update(exchange, QueryParameters.parse(exchange.getRequestURI().getRawQuery()));
                    case "api/metrics" -> json(exchange, history.catalogue(200));
                    default -> file(exchange, rest);
                }
            } catch (IllegalArgumentException e) {
                error(exchange, 400, e.getMessage());
            }
        }
    }

    private void update(HttpExchange exchange, Map<String, List<String>> query) throws IOException {
        List<String> sinceValues = query.getOrDefault("since", List.of());
        long since = -1;
        if (!sinceValues.isEmpty()) {
            try {
                since = Long.parseLong(sinceValues.get(0));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("since must be an update number, got '" + sinceValues.get(0) + "'");
            }
        }
        List<String> expressions = query.getOrDefault("w", List.of());
        byte[] cached = expressions.isEmpty() ? history.cachedUpdate(since) : null;
        if (cached != null) {
            jsonHeaders(exchange);
            send(exchange, 200, cached);
            return;
        }
        if (expressions.size() > MAX_EXPRESSIONS) {
            throw new IllegalArgumentException("at most " + MAX_EXPRESSIONS + " charted expressions per page");
        }
        Map<String, String> errors = new HashMap<>();
        for (String expression : expressions) {
            if (expression.length() > MAX_EXPRESSION_LENGTH) {
                throw new IllegalArgumentException("expression longer than " + MAX_EXPRESSION_LENGTH + " characters");
            }
            if (!history.touch(expression)) {
                // Never while holding the history's lock: the dashboard's refresh takes its own, then the history's.
                try {
                    dashboard.watch(expression);
                    history.keep(expression);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    errors.put(expression, e.getMessage());
                }
            }
        }
        json(exchange, history.update(since, expressions, errors));
    }

    private void file(HttpExchange exchange, String rest) throws IOException {
        StaticResources.Resource resource = resources.get(rest);
        if (resource == null) {
            error(exchange, 404, "no such console file: " + rest);
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", resource.contentType());
        // The files change only with the jar; revalidating each load is cheap and never serves an old page.
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        send(exchange, 200, resource.bytes());
    }

    private static void json(HttpExchange exchange, String json) throws IOException {
        jsonHeaders(exchange);
        send(exchange, 200, json.getBytes(StandardCharsets.UTF_8));
    }

    private static void jsonHeaders(HttpExchange exchange) {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(exchange, status, new JsonWriter().beginObject().name("error").value(message).endObject().toString()
                .getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        boolean head = exchange.getRequestMethod().equals("HEAD");
        String accept = exchange.getRequestHeaders().getFirst("Accept-Encoding");
        if (body.length > GZIP_ABOVE_BYTES && accept != null && accept.contains("gzip")) {
            // The first load of a page carries 15 minutes of history: a few hundred KB that gzip shrinks five-fold.
            ByteArrayOutputStream compressed = new ByteArrayOutputStream(body.length / 4);
            try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
                gzip.write(body);
            }
            body = compressed.toByteArray();
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
        }
        exchange.getResponseHeaders().set("Vary", "Accept-Encoding");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
