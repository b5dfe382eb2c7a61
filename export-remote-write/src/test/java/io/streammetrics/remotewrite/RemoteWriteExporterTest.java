package io.streammetrics.remotewrite;

import io.streammetrics.MetricsEngine;
import io.streammetrics.push.ScriptedReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request a remote-write push sends, as a receiver on 127.0.0.1 sees it. */
class RemoteWriteExporterTest {
    private final MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).build().start();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void sendsTheSpecificationsHeadersAuthenticationAndASnappyWriteRequest() throws Exception {
        engine.counter("jobs").register().labels().add(3);
        try (ScriptedReceiver receiver = new ScriptedReceiver();
             RemoteWriteExporter exporter = RemoteWriteExporter.builder(engine)
                     .endpoint(receiver.url("/api/v1/write"))
                     .bearerToken("t0k3n")
                     .header("X-Scope-OrgID", "tenant-1")
                     .externalLabel("job", "unit")
                     .interval(Duration.ofHours(1))
                     .build()) {
            assertTrue(exporter.flush(Duration.ofSeconds(10)));
            ScriptedReceiver.Received request = receiver.received().get(0);
            assertEquals("application/x-protobuf", request.header("Content-Type"));
            assertEquals("snappy", request.header("Content-Encoding"));
            assertEquals("0.1.0", request.header("X-Prometheus-Remote-Write-Version"));
            assertTrue(request.header("User-Agent").startsWith("streammetrics-remote-write/"), request.header("User-Agent"));
            assertEquals("Bearer t0k3n", request.header("Authorization"));
            assertEquals("tenant-1", request.header("X-Scope-OrgID"));
            WriteRequests.Request decoded = WriteRequests.decompressAndRead(request.body(), request.body().length);
            assertEquals(3, decoded.value("jobs_total", "job", "unit"));
        }
    }

    @Test
    void theUsersHeadersReplaceTheFormatsOwn() throws Exception {
        try (ScriptedReceiver receiver = new ScriptedReceiver();
             RemoteWriteExporter exporter = RemoteWriteExporter.builder(engine).endpoint(receiver.url("/w"))
                     .header("User-Agent", "my-app/2").interval(Duration.ofHours(1)).build()) {
            assertTrue(exporter.flush(Duration.ofSeconds(10)));
            assertEquals("my-app/2", receiver.received().get(0).header("User-Agent"));
        }
    }
}
