package io.streammetrics.operator;

import io.streammetrics.alert.AlertEvaluator;
import io.streammetrics.common.EngineClock;
import io.streammetrics.dashboard.Dashboard;
import io.streammetrics.health.HealthMonitor;
import io.streammetrics.health.HealthReport;
import io.streammetrics.prometheus.PrometheusHttpServer;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The operator endpoints, served as JSON under {@code /api/} of a {@link PrometheusHttpServer} and behind its
 * authentication (a request without the configured credentials gets 401):
 *
 * <ul>
 *   <li>{@code GET /api/health}: the {@link HealthReport} ({@link HealthReport#toJson()}); 200 when healthy or
 *       degraded, 503 when critical, so that it serves as a Kubernetes probe;</li>
 *   <li>{@code GET /api/alerts}: {@code {"active":[...],"history":[...],"silences":[...]}}, the history newest first
 *       (at most {@link Builder#historyLimit(int)} events); alerts as in the webhook documents;</li>
 *   <li>{@code POST /api/alerts/{id}/ack?by=NAME} (or body {@code {"by":"NAME"}}): acknowledges an active alert
 *       (stops its repeats and escalation); 404 for an unknown or resolved id;</li>
 *   <li>{@code GET /api/silences}, {@code POST /api/silences} (body: Alertmanager-style matchers and a
 *       {@code duration} or {@code endsAt}; answers 201 with the silence and its id), {@code DELETE /api/silences/{id}};
 *       </li>
 *   <li>{@code GET /api/dashboard}: the {@link Dashboard}'s data ({@code DashboardData.toJson()}).</li>
 * </ul>
 *
 * Unknown paths answer 404, a known path with another method 405 with {@code Allow}, a malformed request 400 naming
 * the problem; every answer is JSON ({@code {"error":"..."}} for refusals).
 *
 * <p><b>Writes</b> (acknowledge, create or expire a silence) are refused with 403 unless the server requires
 * credentials ({@code basicAuth} or {@code bearerToken}) or {@link Builder#allowUnauthenticatedWrites(boolean)} says
 * otherwise: a silence mutes alerting, and anything on the machine can reach a loopback port. A write is also
 * refused with 403 when it comes from another site, as a browser marks it ({@code Sec-Fetch-Site} other than
 * {@code same-origin} or {@code none}, or an {@code Origin} that is not this server's, {@code null} included), and
 * with 415 when a {@code POST} is not {@code Content-Type: application/json}, which a cross-site page cannot send
 * without a CORS preflight that this server never grants. Clients that are not browsers send neither header:
 * {@code curl -H 'Authorization: Bearer TOKEN' -H 'Content-Type: application/json' -d '{"by":"alice"}'
 * http://127.0.0.1:9464/api/alerts/ID/ack}. (The server itself refuses a {@code Host} that is not its own when bound
 * to loopback, see {@link PrometheusHttpServer}.)
 *
 * <pre>{@code
 * OperatorApi.builder(evaluator).health(monitor).dashboard(dashboard).build().mount(server);
 * }</pre>
 *
 * <p>These handlers are their own module because they join two others: they mount on the Prometheus exporter's HTTP
 * server (sharing its authentication and TLS), and what they serve (alerts, health, dashboard data) is computed in
 * the {@code alerting} module, which knows nothing about HTTP. An application that only scrapes needs neither.
 */
public final class OperatorApi {
    /** The path prefix of every operator endpoint. */
    public static final String PREFIX = "/api/";

    private final AlertEvaluator evaluator;
    private final Supplier<HealthReport> health;
    private final Dashboard dashboard;
    private final int historyLimit;
    private final EngineClock clock;
    private final boolean unauthenticatedWrites;

    private OperatorApi(Builder builder) {
        this.evaluator = builder.evaluator;
        // Without checks a monitor starts no thread: it only counts the firing alerts.
        this.health = builder.health != null ? builder.health
                : HealthMonitor.builder().alerts(evaluator::activeAlerts).build()::report;
        this.dashboard = builder.dashboard;
        this.historyLimit = builder.historyLimit;
        this.clock = builder.clock;
        this.unauthenticatedWrites = builder.unauthenticatedWrites;
    }

    /** A builder serving {@code evaluator}'s alerts and silences. */
    public static Builder builder(AlertEvaluator evaluator) {
        return new Builder(evaluator);
    }

    /**
     * Serves the endpoints under {@link #PREFIX} of {@code server}.
     *
     * @throws IllegalArgumentException if the server already serves {@code /api/}
     */
    public void mount(PrometheusHttpServer server) {
        server.mount(PREFIX, new ApiHandler(this, server.requiresAuthentication() || unauthenticatedWrites,
                server.scheme()));
    }

    AlertEvaluator evaluator() {
        return evaluator;
    }

    HealthReport health() {
        return health.get();
    }

    Dashboard dashboard() {
        return dashboard;
    }

    int historyLimit() {
        return historyLimit;
    }

    EngineClock clock() {
        return clock;
    }

    /** Builds an {@link OperatorApi}. */
    public static final class Builder {
        private final AlertEvaluator evaluator;
        private Supplier<HealthReport> health;
        private Dashboard dashboard;
        private int historyLimit = 100;
        private EngineClock clock = EngineClock.SYSTEM;
        private boolean unauthenticatedWrites;

        private Builder(AlertEvaluator evaluator) {
            this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
        }

        /** The health monitor behind {@code /api/health} (default: a report of the firing alerts alone). */
        public Builder health(HealthMonitor monitor) {
            Objects.requireNonNull(monitor, "monitor");
            this.health = monitor::report;
            return this;
        }

        /** The dashboard behind {@code /api/dashboard} (default none: 404). */
        public Builder dashboard(Dashboard dashboard) {
            this.dashboard = Objects.requireNonNull(dashboard, "dashboard");
            return this;
        }

        /** Most history events {@code /api/alerts} lists (default 100). */
        public Builder historyLimit(int limit) {
            if (limit < 0) {
                throw new IllegalArgumentException("history limit must not be negative, got " + limit);
            }
            this.historyLimit = limit;
            return this;
        }

        /** The clock silences start from (default the system clock; use the evaluator's). */
        public Builder clock(EngineClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Whether acknowledgements and silences are accepted from clients without credentials when the server
         * requires none (default false: such writes answer 403). Only for a process whose port nothing untrusted
         * can reach; the cross-site checks stay.
         */
        public Builder allowUnauthenticatedWrites(boolean allow) {
            this.unauthenticatedWrites = allow;
            return this;
        }

        /** Builds the API (mount it with {@link OperatorApi#mount}). */
        public OperatorApi build() {
            return new OperatorApi(this);
        }
    }
}
