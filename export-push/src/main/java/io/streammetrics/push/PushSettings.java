package io.streammetrics.push;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * What every push exporter is configured with (see {@link PushExporterBuilder}), fixed when it is built.
 *
 * @param endpoint          where to POST
 * @param interval          time between pushes
 * @param timeout           connect and request timeout of one push
 * @param minBackoff        first wait after a failed push before it is retried
 * @param maxBackoff        the longest wait of the doubling back-off
 * @param maxRetryAfter     the longest {@code Retry-After} honoured (longer answers wait this long)
 * @param headers           the user's own request headers
 * @param authorization     the {@code Authorization} header value, or null
 * @param sslContext        TLS settings for https endpoints, or null for the JDK's default
 * @param externalLabels    labels (tags) added to every series that does not have them
 */
public record PushSettings(URI endpoint, Duration interval, Duration timeout, Duration minBackoff, Duration maxBackoff,
                           Duration maxRetryAfter, Map<String, String> headers, String authorization,
                           SSLContext sslContext, Map<String, String> externalLabels) {
    /** The same settings pushing to {@code uri} (for formats whose API path and parameters the exporter adds). */
    public PushSettings withEndpoint(URI uri) {
        return new PushSettings(uri, interval, timeout, minBackoff, maxBackoff, maxRetryAfter, headers, authorization,
                sslContext, externalLabels);
    }
}
