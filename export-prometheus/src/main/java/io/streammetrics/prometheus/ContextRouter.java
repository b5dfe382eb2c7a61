package io.streammetrics.prometheus;

import com.sun.net.httpserver.Authenticator;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Routes each request of the Jetty server to the {@link MountedContext} with the longest path that serves it, runs
 * the context's authenticator, then its handler on the request thread (handlers block, as on the JDK server; the
 * server's pool bounds how many run at once). A path no context serves answers 404.
 *
 * <p>When the server is bound to a loopback address, a request whose {@code Host} names anything but that address,
 * {@code localhost}, {@code 127.0.0.1} or {@code ::1} answers 403: a web page that rebinds its own DNS name to
 * 127.0.0.1 (DNS rebinding) is same-origin with itself, not with us, and its requests carry its own name as
 * {@code Host}.
 */
final class ContextRouter extends Handler.Abstract {
    private static final System.Logger LOG = System.getLogger(ContextRouter.class.getName());

    private final List<MountedContext> contexts = new CopyOnWriteArrayList<>();
    /** Host names a loopback-bound server answers to (lower case, IPv6 without brackets), or null: any. */
    private final Set<String> loopbackHosts;

    ContextRouter(InetAddress bindAddress) {
        if (bindAddress.isLoopbackAddress()) {
            Set<String> hosts = new HashSet<>(List.of("localhost", "127.0.0.1", "::1", "0:0:0:0:0:0:0:1"));
            hosts.add(bindAddress.getHostAddress().toLowerCase(Locale.ROOT));
            this.loopbackHosts = Set.copyOf(hosts);
        } else {
            this.loopbackHosts = null;
        }
    }

    /**
     * Mounts a context.
     *
     * @throws IllegalArgumentException if a context already has this path
     */
    synchronized void add(MountedContext context) {
        for (MountedContext existing : contexts) {
            if (existing.getPath().equals(context.getPath())) {
                throw new IllegalArgumentException("cannot add context to list: path " + context.getPath()
                        + " is already served");
            }
        }
        contexts.add(context);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String refusedHost = refusedHost(request.getHeaders().get(HttpHeader.HOST));
        if (refusedHost != null) {
            plain(response, callback, HttpStatus.FORBIDDEN_403, "Host '" + refusedHost + "' is not this server's "
                    + "address: a server bound to loopback answers only to localhost and its own address "
                    + "(DNS rebinding protection)\n");
            return true;
        }
        String path = request.getHttpURI().getCanonicalPath();
        MountedContext context = path == null ? null : route(path);
        if (context == null || context.getHandler() == null) {
            plain(response, callback, HttpStatus.NOT_FOUND_404, "not found\n");
            return true;
        }
        URI uri;
        try {
            uri = new URI(request.getHttpURI().getPathQuery());
        } catch (URISyntaxException e) {
            plain(response, callback, HttpStatus.BAD_REQUEST_400, "malformed request target\n");
            return true;
        }
        ServerExchange exchange = new ServerExchange(context, request, response, uri);
        try {
            Authenticator authenticator = context.getAuthenticator();
            if (authenticator != null) {
                Authenticator.Result result = authenticator.authenticate(exchange);
                if (result instanceof Authenticator.Success success) {
                    exchange.principal = success.getPrincipal();
                } else {
                    int status = result instanceof Authenticator.Retry retry ? retry.getResponseCode()
                            : ((Authenticator.Failure) result).getResponseCode();
                    exchange.sendResponseHeaders(status, -1);
                    exchange.finish(callback);
                    return true;
                }
            }
            context.getHandler().handle(exchange);
            exchange.finish(callback);
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.DEBUG, "handler of " + context.getPath() + " failed", t);
            if (response.isCommitted()) {
                callback.failed(t);
            } else {
                response.getHeaders().clear();
                plain(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, "internal error\n");
            }
        }
        return true;
    }

    private MountedContext route(String path) {
        MountedContext best = null;
        for (MountedContext context : contexts) {
            if (context.serves(path) && (best == null || context.getPath().length() > best.getPath().length())) {
                best = context;
            }
        }
        return best;
    }

    /** The host of {@code hostHeader} if a loopback-bound server must refuse it, else null. */
    String refusedHost(String hostHeader) {
        if (loopbackHosts == null || hostHeader == null) {
            return null;
        }
        String host = hostHeader.trim();
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            host = end < 0 ? host : host.substring(1, end);
        } else {
            int colon = host.lastIndexOf(':');
            host = colon < 0 ? host : host.substring(0, colon);
        }
        return loopbackHosts.contains(host.toLowerCase(Locale.ROOT)) ? null : host;
    }

    private static void plain(Response response, Callback callback, int status, String message) {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
