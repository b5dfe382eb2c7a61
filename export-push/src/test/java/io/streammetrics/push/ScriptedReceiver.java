package io.streammetrics.push;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A receiver for push tests on 127.0.0.1 that answers what the test scripts: a fixed status (with an optional
 * {@code Retry-After}), a hang until released, or forwarding to a real server ({@link #forwardTo}), so that an
 * outage test can have a real database answer 503 or 429 for a while and then take the pushes again. Records every
 * request it receives.
 */
public final class ScriptedReceiver implements AutoCloseable {
    /** One request as received. */
    public record Received(long nanoTime, Map<String, List<String>> headers, byte[] body, int status) {
        /** The first value of a header, or null. */
        public String header(String name) {
            for (Map.Entry<String, List<String>> header : headers.entrySet()) {
                if (header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty()) {
                    return header.getValue().get(0);
                }
            }
            return null;
        }
    }

    private static final List<String> FORWARDED = List.of("Content-Type", "Content-Encoding",
            "X-Prometheus-Remote-Write-Version", "Authorization", "User-Agent");

    private final HttpServer server;
    private final String scheme;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "scripted-receiver");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final List<Received> received = new ArrayList<>();
    private int status = 204;
    private String retryAfter;
    private URI upstream;
    private CountDownLatch hang;
    private final AtomicInteger held = new AtomicInteger();

    public ScriptedReceiver() throws IOException {
        this(null);
    }

    /** A receiver serving HTTPS with {@code tls} (null: plain HTTP). */
    public ScriptedReceiver(SSLContext tls) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(address, 50);
        } else {
            HttpsServer https = HttpsServer.create(address, 50);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        scheme = tls == null ? "http" : "https";
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The URL of {@code path} on this receiver. */
    public String url(String path) {
        return scheme + "://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Answers {@code status} (no Retry-After) from now on. */
    public synchronized ScriptedReceiver answer(int status) {
        return answer(status, null);
    }

    /** Answers {@code status} with {@code Retry-After: retryAfter} (null for none) from now on. */
    public synchronized ScriptedReceiver answer(int status, String retryAfter) {
        this.status = status;
        this.retryAfter = retryAfter;
        this.upstream = null;
        return this;
    }

    /** Forwards every request (same path and query) to {@code base} and answers what it answers. */
    public synchronized ScriptedReceiver forwardTo(String base) {
        this.upstream = URI.create(base);
        return this;
    }

    /** Holds every request from now on until {@link #release()}. */
    public synchronized void hang() {
        hang = new CountDownLatch(1);
    }

    /** Lets held requests go on (they then get the scripted answer). */
    public synchronized void release() {
        if (hang != null) {
            hang.countDown();
            hang = null;
        }
    }

    /** Requests being held by {@link #hang()} right now. */
    public int held() {
        return held.get();
    }

    /** Requests received so far. */
    public synchronized List<Received> received() {
        return new ArrayList<>(received);
    }

    /** Number of requests received so far. */
    public synchronized int count() {
        return received.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long at = System.nanoTime();
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        CountDownLatch latch;
        synchronized (this) {
            latch = hang;
        }
        if (latch != null) {
            held.incrementAndGet();
            try {
                latch.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                held.decrementAndGet();
            }
        }
        int answer;
        String after;
        URI target;
        synchronized (this) {
            answer = status;
            after = retryAfter;
            target = upstream;
        }
        byte[] reply = new byte[0];
        if (target != null) {
            HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
            for (String name : FORWARDED) {
                String value = exchange.getRequestHeaders().getFirst(name);
                if (value != null) {
                    request.header(name, value);
                }
            }
            try {
                HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                answer = response.statusCode();
                reply = response.body();
            } catch (IOException e) {
                answer = 502;
                reply = e.toString().getBytes();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answer = 502;
            }
        } else if (after != null) {
            exchange.getResponseHeaders().set("Retry-After", after);
        }
        synchronized (this) {
            received.add(new Received(at, Map.copyOf(exchange.getRequestHeaders()), body, answer));
        }
        exchange.sendResponseHeaders(answer, reply.length == 0 ? -1 : reply.length);
        if (reply.length > 0) {
            exchange.getResponseBody().write(reply);
        }
        exchange.close();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }
}
