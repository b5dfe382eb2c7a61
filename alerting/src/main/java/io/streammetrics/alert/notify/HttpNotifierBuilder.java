package io.streammetrics.alert.notify;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The settings every HTTP notifier's builder takes: name, headers, timeout, retries and client. Only this package's
 * notifiers extend it.
 *
 * @param <B> the concrete builder, returned by each setter for chaining
 */
public abstract class HttpNotifierBuilder<B extends HttpNotifierBuilder<B>> {
    final JsonPoster.Settings http;
    String name;

    HttpNotifierBuilder(String defaultName, RetryPolicy defaultRetryPolicy) {
        this.name = defaultName;
        this.http = new JsonPoster.Settings(defaultRetryPolicy);
    }

    /** The notifier's name in logs and in the {@code notifier} label of the notification self-metrics. */
    public B name(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("notifier name must not be blank");
        }
        this.name = name;
        return self();
    }

    /**
     * Adds a header to every request, for instance {@code Authorization}.
     *
     * @throws IllegalArgumentException if the JDK client does not allow the header ({@code Host},
     *                                  {@code Connection}, ...) or it is {@code Content-Type}
     */
    public B header(String name, String value) {
        http.header(name, value);
        return self();
    }

    /** Sends {@code Authorization: Bearer <token>} with every request. */
    public B bearerToken(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("bearer token must not be blank");
        }
        return header("Authorization", "Bearer " + token);
    }

    /** Sends HTTP basic authentication ({@code Authorization: Basic ...}) with every request. */
    public B basicAuth(String username, String password) {
        if (username == null || username.isEmpty() || username.contains(":") || password == null) {
            throw new IllegalArgumentException("basic auth needs a non-empty username without ':' and a password");
        }
        return header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** How long one attempt may take, connecting included (default 10 s). */
    public B timeout(Duration timeout) {
        http.timeout(timeout);
        return self();
    }

    /** How failed attempts are retried (each notifier documents its default). */
    public B retryPolicy(RetryPolicy retryPolicy) {
        http.retryPolicy(retryPolicy);
        return self();
    }

    /**
     * The client to send with, for TLS or proxy settings (default a new client whose connect timeout is the
     * timeout).
     */
    public B httpClient(HttpClient client) {
        http.client(client);
        return self();
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
