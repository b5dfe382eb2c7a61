package io.streammetrics.alert.notify;

import io.streammetrics.common.Durations;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * POSTs a JSON body with the JDK {@link HttpClient}, retrying transient failures per a {@link RetryPolicy}: the
 * delivery path both HTTP notifiers share. Thread-safe.
 */
final class JsonPoster {
    private static final int MAX_BODY_IN_MESSAGE = 200;

    private final HttpClient client;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final RetryPolicy retryPolicy;

    private JsonPoster(Settings settings) {
        this.client = settings.client != null ? settings.client
                : HttpClient.newBuilder().connectTimeout(settings.timeout).build();
        this.headers = Map.copyOf(settings.headers);
        this.timeout = settings.timeout;
        this.retryPolicy = settings.retryPolicy;
    }

    /**
     * Sends {@code json}, retrying connection errors, timeouts and HTTP 408, 429 and 5xx; any other non-2xx status
     * fails at once, since sending the same request again would get the same answer.
     *
     * @throws IOException after the last attempt failed, naming the URI, the attempts and the last status or error
     */
    void post(URI uri, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        HttpRequest built = request.build();
        for (int attempt = 1; ; attempt++) {
            String failure;
            IOException cause = null;
            OptionalLong retryAfterSeconds = OptionalLong.empty();
            HttpResponse<String> response = null;
            try {
                response = client.send(built, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                cause = e;
            }
            if (response == null) {
                failure = cause.toString();
            } else {
                int status = response.statusCode();
                if (status / 100 == 2) {
                    return;
                }
                failure = "HTTP " + status + ": " + abbreviate(response.body());
                if (!retryable(status)) {
                    throw new IOException("POST " + uri + " failed, not retried: " + failure);
                }
                retryAfterSeconds = retryAfter(response);
            }
            if (attempt > retryPolicy.maxRetries()) {
                throw new IOException("POST " + uri + " failed after " + attempt + " attempt(s): " + failure, cause);
            }
            Thread.sleep(delay(attempt, retryAfterSeconds).toMillis());
        }
    }

    private Duration delay(int retry, OptionalLong retryAfterSeconds) {
        Duration backoff = retryPolicy.backoff(retry, ThreadLocalRandom.current().nextDouble());
        if (retryAfterSeconds.isEmpty()) {
            return backoff;
        }
        // Honour the receiver's Retry-After, but never wait longer than the policy allows: the caller's queue is bounded.
        Duration asked = Duration.ofSeconds(retryAfterSeconds.getAsLong());
        return asked.compareTo(backoff) <= 0 ? backoff
                : asked.compareTo(retryPolicy.maxBackoff()) < 0 ? asked : retryPolicy.maxBackoff();
    }

    private static boolean retryable(int status) {
        return status == 408 || status == 429 || status / 100 == 5;
    }

    private static OptionalLong retryAfter(HttpResponse<?> response) {
        try {
            return response.headers().firstValue("Retry-After").map(v -> OptionalLong.of(Long.parseLong(v.trim())))
                    .orElse(OptionalLong.empty());
        } catch (NumberFormatException e) {
            // An HTTP date instead of seconds: rare for these receivers, and the backoff covers it.
            return OptionalLong.empty();
        }
    }

    private static String abbreviate(String body) {
        String flat = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        return flat.length() <= MAX_BODY_IN_MESSAGE ? flat : flat.substring(0, MAX_BODY_IN_MESSAGE) + "...";
    }

    /** The HTTP settings both notifier builders take, validated as they are set. */
    static final class Settings {
        // Case-insensitive, as HTTP header names are: setting Authorization twice replaces it.
        private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private Duration timeout = Duration.ofSeconds(10);
        private RetryPolicy retryPolicy;
        private HttpClient client;

        Settings(RetryPolicy retryPolicy) {
            this.retryPolicy = retryPolicy;
        }

        void header(String name, String value) {
            Objects.requireNonNull(name, "header name");
            Objects.requireNonNull(value, "header value");
            if (name.equalsIgnoreCase("Content-Type")) {
                throw new IllegalArgumentException("header Content-Type is always application/json");
            }
            try {
                // Let the JDK say now, not at the first alert, whether it accepts the header (Host, Connection, ...).
                HttpRequest.newBuilder().header(name, value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("header '" + name + "' is not allowed: " + e.getMessage(), e);
            }
            headers.put(name, value);
        }

        void timeout(Duration timeout) {
            this.timeout = Durations.positive(timeout, "timeout");
        }

        void retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        }

        void client(HttpClient client) {
            this.client = Objects.requireNonNull(client, "httpClient");
        }

        JsonPoster build() {
            return new JsonPoster(this);
        }
    }
}
