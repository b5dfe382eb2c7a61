package io.streammetrics.push;

/**
 * Turns the current state of an engine into one request body for a {@link PushLoop}: the wire format of an exporter
 * (remote write, line protocol). Called on the loop's thread only. Implementations read the engine through its
 * public read API ({@code MetricsEngine.snapshot(SeriesVisitor)}) and reuse their buffers, so that a push does not
 * allocate per sample.
 */
public interface PushEncoder {
    /**
     * Encodes every series as of now. The returned batch (usually the same object every time) is valid until the
     * next call.
     *
     * @throws RuntimeException if the state cannot be encoded; the loop logs it, counts the push as failed and goes on
     */
    PushBatch encode();

    /**
     * Called on the loop's thread when the receiver took the batch of the latest {@link #encode()}: for formats that
     * send differences since the last delivered push (line protocol's optional counter deltas).
     */
    default void delivered() {
    }
}
