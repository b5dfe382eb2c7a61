package io.streammetrics.push;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The receiving end of a push: one URL, the headers of every request (content type and encoding, authorization,
 * the user's own) and the JDK's {@link HttpClient} (HTTP/1.1, the user's {@code SSLContext}, connect and request
 * timeout, no redirects). Reads at most {@value #DETAIL_BYTES} bytes of an answer's body, so a hostile or broken
 * receiver cannot make the pusher buffer much.
 */
public final class PushEndpoint {
    static final int DETAIL_BYTES = 512;

    private final URI uri;
    private final Duration timeout;
    private final HttpClient client;
    private final HttpRequest.Builder template;

    PushEndpoint(PushSettings settings, Map<String, String> formatHeaders) {
        this.uri = settings.endpoint();
        this.timeout = settings.timeout();
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (settings.sslContext() != null) {
            builder.sslContext(settings.sslContext());
        }
        this.client = builder.build();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(settings.timeout());
        // HttpRequest.Builder.header throws IllegalArgumentException naming a restricted or malformed header, so a
        // bad header fails here, when the exporter is built.
        formatHeaders.forEach(request::header);
        // The user's headers replace the format's of the same name (e.g. their own User-Agent).
        settings.headers().forEach(request::setHeader);
        if (settings.authorization() != null) {
            request.header("Authorization", settings.authorization());
        }
        this.template = request;
    }

    /** Where the pushes go. */
    public URI uri() {
        return uri;
    }

    /** POSTs {@code length} bytes of {@code body} and reduces the answer; never throws for network trouble. */
    PushResponse send(byte[] body, int length) throws InterruptedException {
        HttpRequest request = template.copy()
                .POST(HttpRequest.BodyPublishers.ofByteArray(body, 0, length))
                .build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            String detail;
            try (InputStream in = response.body()) {
                detail = new String(in.readNBytes(DETAIL_BYTES), StandardCharsets.UTF_8).strip();
            }
            return new PushResponse(response.statusCode(),
                    RetryAfter.nanos(response.headers().firstValue("Retry-After"), System.currentTimeMillis()),
                    detail);
        } catch (IOException e) {
            return new PushResponse(0, -1, e.toString());
        }
    }

    /** The request timeout, for bounding how long a close may wait for the last push. */
    Duration timeout() {
        return timeout;
    }
}
