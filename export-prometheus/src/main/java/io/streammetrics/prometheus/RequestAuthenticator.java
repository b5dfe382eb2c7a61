package io.streammetrics.prometheus;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * HTTP basic and/or bearer token authentication for the exporter's endpoints. When both are configured either is
 * accepted. Secrets are compared in constant time (MessageDigest.isEqual) so response timing does not leak how much
 * of a guess was right. A failure answers 401 with a {@code WWW-Authenticate} challenge per configured scheme.
 */
final class RequestAuthenticator extends Authenticator {
    static final String REALM = "streammetrics";

    private final String username;
    private final byte[] basicCredentials;
    private final byte[] bearerToken;

    /**
     * @param username basic auth user, or null for no basic auth
     * @param password basic auth password (with username)
     * @param bearerToken bearer token, or null for none
     */
    RequestAuthenticator(String username, String password, String bearerToken) {
        this.username = username;
        this.basicCredentials = username == null ? null
                : (username + ":" + password).getBytes(StandardCharsets.UTF_8);
        this.bearerToken = bearerToken == null ? null : bearerToken.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Result authenticate(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header != null) {
            if (basicCredentials != null && startsWithIgnoreCase(header, "Basic ")) {
                byte[] given;
                try {
                    given = Base64.getDecoder().decode(header.substring(6).trim());
                } catch (IllegalArgumentException e) {
                    given = new byte[0];
                }
                if (MessageDigest.isEqual(given, basicCredentials)) {
                    return new Success(new HttpPrincipal(username, REALM));
                }
            }
            if (bearerToken != null && startsWithIgnoreCase(header, "Bearer ")) {
                byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
                if (MessageDigest.isEqual(given, bearerToken)) {
                    return new Success(new HttpPrincipal("bearer", REALM));
                }
            }
        }
        if (basicCredentials != null) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        }
        if (bearerToken != null) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"" + REALM + "\"");
        }
        return new Retry(401);
    }

    private static boolean startsWithIgnoreCase(String value, String prefix) {
        return value.regionMatches(true, 0, prefix, 0, prefix.length());
    }
}
