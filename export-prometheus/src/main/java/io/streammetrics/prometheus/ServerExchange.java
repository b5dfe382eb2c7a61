package io.streammetrics.prometheus;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One request on the Jetty server seen through the JDK's {@link HttpExchange}, so that the handlers written for the
 * JDK server API (the scrape, the operator API, the console, anything {@linkplain PrometheusHttpServer#mount
 * mounted}) run unchanged. Follows the JDK's contract: {@link #sendResponseHeaders} with a length above 0 sends
 * {@code Content-Length}, 0 streams a body of unknown length, -1 sends no body; {@link #close()} ends the exchange.
 * Used by one request thread at a time.
 */
final class ServerExchange extends HttpExchange {
    /** Most unread request body bytes read and discarded to keep a connection usable (the operator API takes 16 KiB). */
    static final long DRAIN_LIMIT = 64 * 1024;
    private final MountedContext context;
    private final Request request;
    private final Response response;
    private final URI uri;
    private final Headers requestHeaders = new Headers();
    private final Headers responseHeaders = new Headers();
    private final Map<String, Object> attributes = new HashMap<>();
    private InputStream in;
    private OutputStream out;
    private OutputStream sink;
    private IOException failure;
    private int responseCode = -1;
    private boolean closed;
    HttpPrincipal principal;

    ServerExchange(MountedContext context, Request request, Response response, URI uri) {
        this.context = context;
        this.request = request;
        this.response = response;
        this.uri = uri;
        for (HttpField field : request.getHeaders()) {
            requestHeaders.add(field.getName(), field.getValue());
        }
        this.in = Content.Source.asInputStream(request);
    }

    @Override
    public Headers getRequestHeaders() {
        return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return uri;
    }

    @Override
    public String getRequestMethod() {
        return request.getMethod();
    }

    @Override
    public HttpContext getHttpContext() {
        return context;
    }

    @Override
    public InputStream getRequestBody() {
        return in;
    }

    @Override
    public OutputStream getResponseBody() {
        if (out == null) {
            out = new Body(sink());
        }
        return out;
    }

    private OutputStream sink() {
        if (sink == null) {
            sink = Content.Sink.asOutputStream(response);
        }
        return sink;
    }

    /** The response body: closing it ends the exchange, as on the JDK server. */
    private final class Body extends FilterOutputStream {
        Body(OutputStream sink) {
            super(sink);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            ServerExchange.this.close();
            if (failure != null) {
                throw failure;
            }
        }
    }

    @Override
    public void sendResponseHeaders(int code, long length) throws IOException {
        if (responseCode != -1) {
            throw new IOException("headers already sent");
        }
        responseCode = code;
        response.setStatus(code);
        HttpFields.Mutable headers = response.getHeaders();
        for (Map.Entry<String, List<String>> header : responseHeaders.entrySet()) {
            for (String value : header.getValue()) {
                headers.add(header.getKey(), value);
            }
        }
        boolean head = "HEAD".equals(request.getMethod());
        if (length > 0) {
            headers.put(HttpHeader.CONTENT_LENGTH, length);
        } else if (length == -1 && !head && code >= 200 && code != 204 && code != 304) {
            headers.put(HttpHeader.CONTENT_LENGTH, 0L);
        }
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return inet(request.getConnectionMetaData().getRemoteSocketAddress());
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return inet(request.getConnectionMetaData().getLocalSocketAddress());
    }

    private static InetSocketAddress inet(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet : null;
    }

    @Override
    public int getResponseCode() {
        return responseCode;
    }

    @Override
    public String getProtocol() {
        return request.getConnectionMetaData().getProtocol();
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        attributes.put(name, value);
    }

    @Override
    public void setStreams(InputStream input, OutputStream output) {
        if (input != null) {
            in = input;
        }
        if (output != null) {
            out = output;
        }
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return principal;
    }

    /** Ends the exchange: sends what is not sent yet (a 500 if the handler answered nothing). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (responseCode == -1) {
                sendResponseHeaders(500, -1);
            }
            drainRequestBody();
            sink().close();
        } catch (IOException e) {
            // The client went away: finish() fails the request, which closes the connection.
            failure = e;
        }
    }

    /**
     * Reads what is left of a small request body that the handler did not read (a refusal answers before reading
     * it), as the JDK server does: otherwise Jetty closes the connection after the response, and a client that
     * reuses it for its next request (the JDK's own client does, without retrying a POST) finds it closed. A body
     * larger than {@link #DRAIN_LIMIT} is left: Jetty then closes the connection, which such a client deserves.
     */
    private void drainRequestBody() {
        byte[] buffer = new byte[4096];
        long left = DRAIN_LIMIT;
        try {
            for (int n; left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0; ) {
                left -= n;
            }
        } catch (IOException e) {
            // The client went away or sent a malformed body: nothing to keep the connection for.
        }
    }

    /** Completes Jetty's side of the request once the handler returned (closing the exchange if it did not). */
    void finish(Callback callback) {
        close();
        if (failure == null) {
            callback.succeeded();
        } else {
            callback.failed(failure);
        }
    }
}
