package io.streammetrics.alert.notify;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A JDK HTTP server on 127.0.0.1 that records every request and answers with scripted responses, in order; once
 * the script is used up it answers 200.
 */
final class RecordingServer implements AutoCloseable {
    /** One request as received. */
    record Request(String method, String path, Headers headers, String body) {
    }

    /** One scripted answer: a status, response headers, and something to do first (wait, block). */
    record Response(int status, Map<String, String> headers, Consumer<Request> before) {
        static Response status(int status) {
            return new Response(status, Map.of(), request -> {
            });
        }

        static Response status(int status, String header, String value) {
            return new Response(status, Map.of(header, value), request -> {
            });
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Response> script = new LinkedBlockingQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Request> arrivals = new LinkedBlockingQueue<>();

    /** Starts a server; an {@link IOException} (no loopback port) fails the test as an unchecked error. */
    static RecordingServer start() {
        try {
            return new RecordingServer();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test HTTP server", e);
        }
    }

    private RecordingServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "recording-server");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Queues answers for the next requests. */
    void respond(Response... responses) {
        script.addAll(List.of(responses));
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The next request to arrive, waiting up to 10 s. */
    Request next() throws InterruptedException {
        Request request = arrivals.poll(10, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("no request arrived within 10 s; got " + requests.size() + " before");
        }
        return request;
    }

    /** A response that waits for {@code latch} (up to 10 s) before answering {@code status}. */
    static Response blockedUntil(CountDownLatch latch, int status) {
        return new Response(status, Map.of(), request -> {
            try {
                latch.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders(),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            requests.add(request);
            arrivals.add(request);
            Response response = script.poll();
            if (response == null) {
                response = Response.status(200);
            }
            response.before().accept(request);
            byte[] body = ("status " + response.status()).getBytes(StandardCharsets.UTF_8);
            response.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(response.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
