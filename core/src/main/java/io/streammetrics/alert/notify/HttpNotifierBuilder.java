package io.streammetrics.alert.notify;

import java.net.http.HttpClient;
import java.time.Duration;

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
