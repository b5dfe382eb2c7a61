package io.streammetrics.prometheus;

import io.streammetrics.MetricsEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTPS with a self-signed certificate made by the running JDK's keytool. */
class PrometheusTlsTest {
    private static final char[] PASSWORD = "changeit-test".toCharArray();
    private static SSLContext serverContext;
    private static SSLContext clientContext;

    private MetricsEngine engine;
    private PrometheusHttpServer server;

    @BeforeAll
    static void keys(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
        assertEquals(0, keytool.exitValue(), "keytool: " + output);

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(keyManagers.getKeyManagers(), null, null);

        // The client trusts exactly that certificate (a trust store holding only it).
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", keys.getCertificate("server"));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trusted);
        clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, trustManagers.getTrustManagers(), null);
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
