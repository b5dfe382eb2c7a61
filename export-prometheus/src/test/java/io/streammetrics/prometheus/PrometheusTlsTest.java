package io.streammetrics.prometheus;

import io.streammetrics.MetricsEngine;
import io.streammetrics.testing.SelfSignedTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTPS with a self-signed certificate made by the running JDK's keytool. */
class PrometheusTlsTest {
    private static SSLContext serverContext;
    private static SSLContext clientContext;

    private MetricsEngine engine;
    private PrometheusHttpServer server;

    @BeforeAll
    static void keys(@TempDir Path dir) throws Exception {
        SelfSignedTls tls = SelfSignedTls.create(dir);
        serverContext = tls.server();
        // The client trusts exactly that certificate.
        clientContext = tls.client();
    }

    @BeforeEach
    void start() {
        // BLOCK: these tests compare exported values with what was recorded, so a starved aggregator must not drop.
        engine = MetricsEngine.builder().backPressure(io.streammetrics.BackPressure.BLOCK).build().start();
        engine.counter("jobs_total").help("Jobs.").register().labels().add(5);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        engine.close();
    }

    private static HttpClient client(SSLContext context) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        return context == null ? builder.build() : builder.sslContext(context).build();
    }

    private HttpResponse<String> get(HttpClient client, String scheme, String path, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create(scheme + "://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void scrapesOverHttpsWithTheTrustedCertificate() throws Exception {
        server = PrometheusHttpServer.builder(engine).tls(serverContext).build();
        assertEquals("https", server.scheme());
        HttpResponse<String> response = get(client(clientContext), "https", "/metrics");
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("jobs_total 5.0\n"), response.body());
        assertEquals(200, get(client(clientContext), "https", "/-/healthy").statusCode());
        assertEquals("TLSv1.3", response.sslSession().orElseThrow().getProtocol());
    }

    @Test
    void plainHttpToTheTlsPortFails() throws Exception {
        server = PrometheusHttpServer.builder(engine).tls(serverContext).build();
        assertThrows(IOException.class, () -> get(client(null), "http", "/metrics"));
        // The server survives the bad connection.
        assertEquals(200, get(client(clientContext), "https", "/metrics").statusCode());
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefused() throws Exception {
        server = PrometheusHttpServer.builder(engine).tls(serverContext).build();
        // The JDK's default trust store does not hold the self-signed certificate.
        assertThrows(javax.net.ssl.SSLHandshakeException.class, () -> get(client(null), "https", "/metrics"));
    }

    @Test
    void authWorksOverTls() throws Exception {
        server = PrometheusHttpServer.builder(engine).tls(serverContext).basicAuth("u", "p").build();
        HttpClient client = client(clientContext);
        assertEquals(401, get(client, "https", "/metrics").statusCode());
        String basic = "Basic " + Base64.getEncoder().encodeToString("u:p".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, get(client, "https", "/metrics", "Authorization", basic).statusCode());
    }

    @Test
    void plainServerReportsHttp() throws Exception {
        server = PrometheusHttpServer.builder(engine).build();
        assertEquals("http", server.scheme());
        assertEquals(200, get(client(null), "http", "/metrics").statusCode());
    }
}
