package io.streammetrics.alert.notify;

import java.net.URI;
import java.util.Objects;

/** Validation of the URLs the notifier builders take, with messages naming the problem. */
final class HttpUris {
    private HttpUris() {
    }

    /** {@code uri} if it is an absolute http or https URI with a host. */
    static URI absolute(URI uri, String what) {
        Objects.requireNonNull(uri, what);
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException(what + " must be an absolute http or https URL with a host, got " + uri);
        }
        return uri;
    }
}
