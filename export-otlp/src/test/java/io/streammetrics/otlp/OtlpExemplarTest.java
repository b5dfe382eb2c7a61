package io.streammetrics.otlp;

import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.streammetrics.MetricsEngine;
import io.streammetrics.exemplar.ExemplarLabels;
import io.streammetrics.exemplar.TraceIds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, item 2: OTLP exemplars on histogram (explicit and exponential) and sum points, with their trace and span
 * ids, as they leave the process: decoded with the official OTLP protobuf classes in a test receiver, because neither
 * fetched server keeps OTLP exemplars (Debian's Prometheus 2.53 has no OTLP receiver; VictoriaMetrics' OTLP ingestion
 * drops exemplars, it has no exemplar storage).
 */
class OtlpExemplarTest {
    private static final long TRACE_HIGH = 0x0af7651916cd43ddL;
    private static final long TRACE_LOW = 0x8448eb211c80319cL;
    private static final long SPAN = 0xb7ad6b7169203331L;

    private final MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).build().start();
    private final OtlpTestReceiver receiver;

    OtlpExemplarTest() throws IOException {
        receiver = new OtlpTestReceiver();
    }

    @AfterEach
    void close() {
        receiver.close();
        engine.close();
    }

    private Metric export(EngineMetricProducer producer, String name) {
        try (OtlpExporter otlp = OtlpExporter.builder(producer).environment(Map.of()).endpoint(receiver.endpoint())
                .interval(Duration.ofHours(1)).retryPolicy(null).timeout(Duration.ofSeconds(5)).build()) {
            assertTrue(otlp.flush());
        }
        return receiver.received().get(receiver.received().size() - 1).metric(name);
    }

    private static void assertIds(Exemplar exemplar) {
        assertEquals("0af7651916cd43dd8448eb211c80319c", HexFormat.of().formatHex(exemplar.getTraceId().toByteArray()));
        assertEquals(TraceIds.hex(SPAN), HexFormat.of().formatHex(exemplar.getSpanId().toByteArray()));
    }

    @Test
    void histogramAndSumPointsCarryTheirExemplarsWithSpanContext() {
        ExemplarLabels tenant = engine.exemplarLabels("tenant", "acme");
        engine.timer("otlp_ex_latency").classicUpperBounds(0.001, 0.01, 0.1).register().labels()
                .recordWithExemplar(5_000_000, TRACE_HIGH, TRACE_LOW, SPAN, tenant);
        engine.counter("otlp_ex_requests").register().labels().incrementWithExemplar(TRACE_HIGH, TRACE_LOW, SPAN);
        engine.snapshot();

        EngineMetricProducer producer = EngineMetricProducer.create(engine);
        Metric histogram = export(producer, "otlp_ex_latency");
        List<Exemplar> exemplars = histogram.getHistogram().getDataPoints(0).getExemplarsList();
        // The 0.01 bucket's, the newest and the largest are one record: sent once.
        assertEquals(1, exemplars.size(), exemplars::toString);
        assertIds(exemplars.get(0));
        assertEquals(0.005, exemplars.get(0).getAsDouble(), 1e-12);
        assertEquals("tenant", exemplars.get(0).getFilteredAttributes(0).getKey());
        assertEquals("acme", exemplars.get(0).getFilteredAttributes(0).getValue().getStringValue());
        assertTrue(exemplars.get(0).getTimeUnixNano() > 0);

        List<Exemplar> counted = receiver.received().get(receiver.received().size() - 1).metric("otlp_ex_requests")
                .getSum().getDataPoints(0).getExemplarsList();
        assertEquals(1, counted.size());
        assertIds(counted.get(0));
        assertEquals(1.0, counted.get(0).getAsDouble());
    }

    @Test
    void exponentialHistogramPointsCarryTheirExemplars() {
        engine.timer("otlp_ex_exp").register().labels().recordWithExemplar(2_000_000, TRACE_HIGH, TRACE_LOW, SPAN);
        engine.snapshot();
        EngineMetricProducer producer = EngineMetricProducer.builder(engine)
                .defaultHistogramFormat(HistogramFormat.exponential()).build();
        List<Exemplar> exemplars = export(producer, "otlp_ex_exp").getExponentialHistogram().getDataPoints(0)
                .getExemplarsList();
        assertEquals(1, exemplars.size(), exemplars::toString);
        assertIds(exemplars.get(0));
        assertEquals(0.002, exemplars.get(0).getAsDouble(), 1e-12);
    }
}
