package io.streammetrics.prometheus;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A handler mounted under a path of a {@link PrometheusHttpServer}, as the JDK server's {@link HttpContext}: a path
 * serves itself and what lies below it ({@code /metrics} serves {@code /metrics} and {@code /metrics/x}, never
 * {@code /metricsXYZ}); a path ending in {@code /} serves everything under it. Filters are not supported (the
 * server runs none); the authenticator runs before the handler.
 */
final class MountedContext extends HttpContext {
    private final String path;
    private volatile HttpHandler handler;
    private volatile Authenticator authenticator;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();

    MountedContext(String path, HttpHandler handler) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a mount path starts with '/', got '" + path + "'");
        }
        this.path = path;
        this.handler = handler;
    }

    /** Whether this context serves {@code requestPath}. */
    boolean serves(String requestPath) {
        if (!requestPath.startsWith(path)) {
            return false;
        }
        return requestPath.length() == path.length() || path.endsWith("/") || requestPath.charAt(path.length()) == '/';
    }

    @Override
    public HttpHandler getHandler() {
        return handler;
    }

    @Override
    public void setHandler(HttpHandler handler) {
        this.handler = handler;
    }

    @Override
    public String getPath() {
        return path;
    }

    /** Not backed by a JDK server: the Jetty server behind a {@link PrometheusHttpServer} has no such object. */
    @Override
    public HttpServer getServer() {
        return null;
    }

    @Override
    public Map<String, Object> getAttributes() {
        return attributes;
    }

    @Override
    public List<Filter> getFilters() {
        return List.of();
    }

    @Override
    public Authenticator setAuthenticator(Authenticator authenticator) {
        Authenticator previous = this.authenticator;
        this.authenticator = authenticator;
        return previous;
    }

    @Override
    public Authenticator getAuthenticator() {
        return authenticator;
    }
}
