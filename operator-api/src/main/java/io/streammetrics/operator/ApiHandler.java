package io.streammetrics.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.streammetrics.alert.Alert;
import io.streammetrics.alert.Silence;
import io.streammetrics.health.HealthReport;
import io.streammetrics.json.JsonReader;
import io.streammetrics.json.JsonWriter;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Routes the operator API's requests under {@code /api/}: unknown paths answer 404, known paths with another method
 * 405 with {@code Allow}, refused requests their {@link ApiError} status; every answer is JSON.
 */
final class ApiHandler implements HttpHandler {
    private static final System.Logger LOG = System.getLogger(ApiHandler.class.getName());
    private static final Set<String> READ = Set.of("GET", "HEAD");

    private final OperatorApi api;
    private final boolean writesEnabled;
    private final String scheme;

    /**
     * @param writesEnabled whether writes are accepted (the server authenticates, or unauthenticated writes were
     *                      allowed)
     * @param scheme        the server's scheme, {@code http} or {@code https}, for the same-origin check
     */
    ApiHandler(OperatorApi api, boolean writesEnabled, String scheme) {
        this.api = api;
        this.writesEnabled = writesEnabled;
        this.scheme = scheme;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                route(exchange, exchange.getRequestURI().getPath(), exchange.getRequestMethod());
            } catch (ApiError e) {
                if (e.allow() != null) {
                    exchange.getResponseHeaders().set("Allow", e.allow());
                }
                Exchanges.error(exchange, e.status(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "operator API request " + exchange.getRequestURI() + " failed", e);
                Exchanges.error(exchange, 500, "internal error: " + e);
            }
        }
    }

    private void route(HttpExchange exchange, String path, String method) throws IOException {
        String[] parts = path.substring(OperatorApi.PREFIX.length()).split("/", -1);
        switch (parts[0]) {
            case "health" -> {
                exact(parts, 1);
                allow(method, READ, "GET, HEAD");
                HealthReport report = api.health();
                Exchanges.json(exchange, report.httpStatus(), report.toJson());
            }
            case "dashboard" -> {
                exact(parts, 1);
                allow(method, READ, "GET, HEAD");
                if (api.dashboard() == null) {
                    throw new ApiError(404, "no dashboard configured");
                }
                Exchanges.json(exchange, 200, api.dashboard().data().toJson());
            }
            case "alerts" -> alerts(exchange, parts, method);
            case "silences" -> silences(exchange, parts, method);
            default -> throw notFound();
        }
    }

    /** {@code GET /api/alerts}, {@code POST /api/alerts/{id}/ack}. */
    private void alerts(HttpExchange exchange, String[] parts, String method) throws IOException {
        if (parts.length == 1) {
            allow(method, READ, "GET, HEAD");
            Exchanges.json(exchange, 200, AlertsDocument.alerts(api.evaluator().activeAlerts(),
                    api.evaluator().history(), api.historyLimit(), api.evaluator().silences()));
            return;
        }
        exact(parts, 3);
        if (!parts[2].equals("ack") || parts[1].isEmpty()) {
            throw notFound();
        }
        allow(method, Set.of("POST"), "POST");
        guardWrite(exchange);
        String by = acknowledger(exchange);
        if (!api.evaluator().acknowledge(parts[1], by)) {
            throw new ApiError(404, "no active alert with id '" + parts[1] + "'");
        }
        Alert alert = api.evaluator().alert(parts[1]).orElseThrow(() -> new ApiError(404, "alert " + parts[1]
                + " resolved meanwhile"));
        // While an evaluation runs the acknowledgement waits for the next pass (the handler never takes the
        // evaluation lock); answer the alert as it will then be.
        Exchanges.json(exchange, 200, AlertsDocument.alert(acknowledged(alert, by)));
    }

    private static Alert acknowledged(Alert alert, String by) {
        return by.equals(alert.acknowledgedBy()) ? alert : new Alert(alert.id(), alert.ruleName(), alert.labels(),
                alert.annotations(), alert.severity(), alert.state(), alert.value(), alert.activeAtMillis(),
                alert.firedAtMillis(), alert.resolvedAtMillis(), alert.lastEvaluatedMillis(), by, alert.escalated());
    }

    /** Who acknowledges: query {@code by}, else the JSON body's {@code "by"}. */
    private static String acknowledger(HttpExchange exchange) throws IOException {
        String by = Exchanges.query(exchange).get("by");
        String body = Exchanges.body(exchange);
        if (by == null && !body.isBlank()) {
            try {
                if (JsonReader.parse(body) instanceof Map<?, ?> json && json.get("by") instanceof String value) {
                    by = value;
                }
            } catch (IllegalArgumentException e) {
                throw new ApiError(400, e.getMessage());
            }
        }
        if (by == null || by.isBlank()) {
            throw new ApiError(400, "say who acknowledges: ?by=NAME or {\"by\":\"NAME\"}");
        }
        if (by.length() > Silence.MAX_CREATED_BY_LENGTH) {
            throw new ApiError(400, "'by' has " + by.length() + " characters; at most " + Silence.MAX_CREATED_BY_LENGTH);
        }
        return by;
    }

    /** {@code GET/POST /api/silences}, {@code DELETE /api/silences/{id}}. */
    private void silences(HttpExchange exchange, String[] parts, String method) throws IOException {
        if (parts.length == 1) {
            allow(method, Set.of("GET", "HEAD", "POST"), "GET, HEAD, POST");
            if (method.equals("POST")) {
                guardWrite(exchange);
                Silence silence = SilenceRequest.parse(Exchanges.body(exchange), api.clock().epochMillis());
                try {
                    api.evaluator().addSilence(silence);
                } catch (IllegalStateException e) {
                    throw new ApiError(409, e.getMessage());
                }
                Exchanges.json(exchange, 201, AlertsDocument.silence(silence));
            } else {
                Exchanges.json(exchange, 200, AlertsDocument.silences(api.evaluator().silences()));
            }
            return;
        }
        exact(parts, 2);
        if (parts[1].isEmpty()) {
            throw notFound();
        }
        allow(method, Set.of("DELETE"), "DELETE");
        guardWrite(exchange);
        if (!api.evaluator().expireSilence(parts[1])) {
            throw new ApiError(404, "no silence with id '" + parts[1] + "'");
        }
        Exchanges.json(exchange, 200, new JsonWriter().beginObject().name("expired").value(parts[1]).endObject()
                .toString());
    }

    /**
     * Refuses a write that is not enabled, comes from another site, or (a POST) is not JSON; see
     * {@link OperatorApi}.
     */
    private void guardWrite(HttpExchange exchange) {
        if (!writesEnabled) {
            throw new ApiError(403, "writes are disabled: the server requires no credentials; configure basicAuth or "
                    + "bearerToken on the PrometheusHttpServer, or OperatorApi.Builder.allowUnauthenticatedWrites(true)");
        }
        String site = exchange.getRequestHeaders().getFirst("Sec-Fetch-Site");
        if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
            throw new ApiError(403, "cross-site write refused (Sec-Fetch-Site: " + site + ")");
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null) {
            String host = exchange.getRequestHeaders().getFirst("Host");
            if (host == null || !origin.equalsIgnoreCase(scheme + "://" + host)) {
                throw new ApiError(403, "cross-origin write refused (Origin: " + origin + ")");
            }
        }
        if (exchange.getRequestMethod().equals("POST") && !isJson(exchange.getRequestHeaders().getFirst("Content-Type"))) {
            throw new ApiError(415, "a write needs Content-Type: application/json");
        }
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.equalsIgnoreCase("application/json");
    }

    private static void exact(String[] parts, int length) {
        if (parts.length != length) {
            throw notFound();
        }
    }

    private static void allow(String method, Set<String> methods, String allowHeader) {
        if (!methods.contains(method)) {
            throw ApiError.methodNotAllowed(method, allowHeader);
        }
    }

    private static ApiError notFound() {
        return new ApiError(404, "no such operator endpoint; see " + OperatorApi.PREFIX
                + "{health,alerts,silences,dashboard}");
    }
}
