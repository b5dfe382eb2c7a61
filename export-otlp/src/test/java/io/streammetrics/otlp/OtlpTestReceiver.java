package io.streammetrics.otlp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP metrics receiver on 127.0.0.1 that decodes every request with the official protobuf classes and
 * answers with a chosen status, optionally holding requests until released (a slow receiver).
 */
final class OtlpTestReceiver implements AutoCloseable {
    /** One decoded request with the headers that matter here. */
    record Received(ExportMetricsServiceRequest request, String contentEncoding, String apiKey) {
        /** The metric with this name, or null. */
        Metric metric(String name) {
            for (ResourceMetrics resource : request.getResourceMetricsList()) {
                for (ScopeMetrics scope : resource.getScopeMetricsList()) {
                    for (Metric metric : scope.getMetricsList()) {
                        if (metric.getName().equals(name)) {
                            return metric;
                        }
                    }
                }
            }
            return null;
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicReference<CountDownLatch> hold = new AtomicReference<>();

    OtlpTestReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/metrics", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/metrics";
    }

    /** The status every later request gets (200 by default). */
    void status(int code) {
        status.set(code);
    }

    /** Holds every later request until {@link #release()}. */
    void hold() {
        hold.set(new CountDownLatch(1));
    }

    void release() {
        CountDownLatch latch = hold.getAndSet(null);
        if (latch != null) {
            latch.countDown();
        }
    }

    int inFlight() {
        return inFlight.get();
    }

    /** Requests answered with 200, in arrival order. */
    List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        try {
            String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = "gzip".equals(encoding) ? new GZIPInputStream(in).readAllBytes() : in.readAllBytes();
            }
            CountDownLatch latch = hold.get();
            if (latch != null) {
                try {
                    latch.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int code = status.get();
            if (code == 200) {
                received.add(new Received(ExportMetricsServiceRequest.parseFrom(body), encoding,
                        exchange.getRequestHeaders().getFirst("api-key")));
                byte[] response = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
                exchange.getResponseBody().write(response);
            } else {
                exchange.sendResponseHeaders(code, -1);
            }
        } finally {
            inFlight.decrementAndGet();
            exchange.close();
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
