package io.streammetrics.push;

import io.streammetrics.MetricsEngine;
import io.streammetrics.internal.registry.NameRules;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The settings every push exporter shares (endpoint, interval, timeout, back-off, authentication, TLS, headers,
 * external labels), for the builders of {@code RemoteWriteExporter} and {@code InfluxExporter}. Bad values fail
 * here or at {@code build()} with an {@link IllegalArgumentException} naming the setting.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class PushExporterBuilder<B extends PushExporterBuilder<B>> {
    /** The engine whose metrics are pushed. */
    protected final MetricsEngine engine;
    private URI endpoint;
    private Duration interval = Duration.ofSeconds(15);
    private Duration timeout = Duration.ofSeconds(10);
    private Duration minBackoff = Duration.ofMillis(30);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private Duration maxRetryAfter = Duration.ofMinutes(5);
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, String> externalLabels = new LinkedHashMap<>();
    private String authorization;
    private SSLContext sslContext;

    /** A builder for {@code engine}'s exporter. */
    protected PushExporterBuilder(MetricsEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The receiver's URL, http or https (required). */
    public B endpoint(String url) {
        URI uri;
        try {
            uri = URI.create(Objects.requireNonNull(url, "endpoint"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid push endpoint '" + url + "': " + e.getMessage(), e);
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                || uri.getHost() == null) {
            throw new IllegalArgumentException("invalid push endpoint '" + url + "': must be an http or https URL");
        }
        this.endpoint = uri;
        return self();
    }

    /** Time between pushes (default 15 s). One last push is made on close. */
    public B interval(Duration interval) {
        this.interval = positive("interval", interval);
        return self();
    }

    /** Connect and request timeout of one push (default 10 s). */
    public B timeout(Duration timeout) {
        this.timeout = positive("timeout", timeout);
        return self();
    }

    /**
     * Back-off after a failed push (no answer, 5xx, 429): the batch is retried after {@code min}, doubling up to
     * {@code max} (defaults 30 ms and 5 s, Prometheus' remote-write defaults).
     */
    public B backoff(Duration min, Duration max) {
        positive("minimum back-off", min);
        positive("maximum back-off", max);
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("maximum back-off " + max + " is shorter than the minimum " + min);
        }
        this.minBackoff = min;
        this.maxBackoff = max;
        return self();
    }

    /**
     * The longest {@code Retry-After} of a 429 or 503 answer that is honoured (default 5 min): a receiver that asks
     * for longer is retried after this, so that a misconfigured one cannot stop pushes for hours.
     */
    public B maxRetryAfter(Duration maxRetryAfter) {
        this.maxRetryAfter = positive("maximum Retry-After", maxRetryAfter);
        return self();
    }

    /** HTTP basic authentication ({@code Authorization: Basic ...}). */
    public B basicAuth(String user, String password) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("basic-auth user name must not contain ':'");
        }
        return authorization("Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** A bearer token ({@code Authorization: Bearer ...}). */
    public B bearerToken(String token) {
        return authorization("Bearer " + requireText("bearer token", token));
    }

    /** The whole {@code Authorization} header value; for schemes of a receiver's own, such as InfluxDB's tokens. */
    protected B authorization(String value) {
        this.authorization = requireText("authorization", value);
        return self();
    }

    /** TLS settings (trust, client certificate) for an https endpoint; default the JDK's. */
    public B sslContext(SSLContext sslContext) {
        this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
        return self();
    }

    /** A header sent with every push, e.g. {@code X-Scope-OrgID} for Mimir or Cortex tenants. */
    public B header(String name, String value) {
        headers.put(requireText("header name", name), Objects.requireNonNull(value, "header value"));
        return self();
    }

    /**
     * A label added to every pushed series that does not have one of that name (Prometheus' external labels, e.g.
     * {@code instance} and {@code job}; tags in line protocol). The name must follow Prometheus' label-name rules.
     */
    public B externalLabel(String name, String value) {
        NameRules.checkLabelNames("external labels", List.of(requireText("external label name", name)), true);
        externalLabels.put(name, Objects.requireNonNull(value, "external label value"));
        return self();
    }

    /** The external labels given so far, in a copy. */
    protected Map<String, String> externalLabels() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(externalLabels));
    }

    /** The settings given so far; fails when the endpoint is missing. */
    protected PushSettings settings() {
        if (endpoint == null) {
            throw new IllegalArgumentException("push endpoint is not set");
        }
        return new PushSettings(endpoint, interval, timeout, minBackoff, maxBackoff, maxRetryAfter,
                Collections.unmodifiableMap(new LinkedHashMap<>(headers)), authorization, sslContext,
                externalLabels());
    }

    /**
     * Starts the push loop of a built exporter: {@code formatHeaders} are the wire format's own (content type and
     * encoding, version), {@code exporter} names it in the self-metrics ({@code remote_write}, {@code influx}).
     */
    protected PushLoop startLoop(String exporter, PushSettings settings, Map<String, String> formatHeaders,
                                 PushEncoder encoder) {
        PushLoop loop = new PushLoop(exporter, encoder, new PushEndpoint(settings, formatHeaders), settings,
                new PushMetrics(engine, exporter));
        loop.start();
        return loop;
    }

    private static Duration positive(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
        return value;
    }

    private static String requireText(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return value;
    }
}
