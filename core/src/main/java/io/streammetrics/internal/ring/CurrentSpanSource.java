package io.streammetrics.internal.ring;

/**
 * Where the automatic exemplar form finds the recording thread's current trace context. The engine makes one only
 * when automatic exemplars are turned on ({@code MetricsEngine.Builder#exemplarsFromOpenTelemetry}); handles call it
 * only while their {@link ExemplarGate} is open, so its cost is paid at most once per sample interval when spans are
 * current, and once per back-off when none is.
 */
public interface CurrentSpanSource {
    /**
     * If the calling thread has a current, sampled span and {@code gate} lets one exemplar through, publishes the
     * record as an exemplar with that span's trace and span id on {@code ring}. Allocates nothing, never throws.
     *
     * @param histogramIndex as for {@link ProducerRing#publishExemplar} (-1: a counter, {@code value} a double's bits)
     * @return false if no sampled span is current (the caller then backs the gate off)
     */
    boolean publishCurrent(ExemplarGate gate, ProducerRing ring, int seriesId, int histogramIndex, long value);
}
