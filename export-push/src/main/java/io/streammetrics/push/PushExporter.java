package io.streammetrics.push;

import java.time.Duration;

/**
 * What every push exporter offers once built (remote write, line protocol): where it pushes, a push on demand, and
 * a close that makes one last push. Each exporter is a {@link PushLoop} with its wire format's encoder.
 */
public abstract class PushExporter implements AutoCloseable {
    private final PushLoop loop;

    /** An exporter pushing through {@code loop} (from {@link PushExporterBuilder#startLoop}). */
    protected PushExporter(PushLoop loop) {
        this.loop = loop;
    }

    /** The URL pushes go to. */
    public String endpoint() {
        return loop.endpoint();
    }

    /**
     * Pushes now and waits for the receiver's answer (as the OpenTelemetry SDK's {@code forceFlush}).
     *
     * @return whether the receiver took the push within {@code timeout}
     */
    public boolean flush(Duration timeout) throws InterruptedException {
        return loop.flush(timeout);
    }

    /** Makes one last push and stops. Idempotent. */
    @Override
    public void close() {
        loop.close();
    }
}
