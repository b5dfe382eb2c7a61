package io.streammetrics.push;

/**
 * One encoded request body and the number of samples in it, as a {@link PushEncoder} hands it to the
 * {@link PushLoop}. The encoder owns the bytes and reuses them: a batch stays valid until the encoder's next
 * {@link PushEncoder#encode()}, which is all the loop needs, since it retries at most the latest batch (values are
 * cumulative, so a fresh encoding supersedes an undelivered one).
 */
public final class PushBatch {
    private byte[] body = new byte[0];
    private int length;
    private int samples;

    /** Points the batch at {@code length} bytes of {@code body} holding {@code samples} samples. */
    public void set(byte[] body, int length, int samples) {
        if (length < 0 || length > body.length) {
            throw new IllegalArgumentException("length " + length + " outside a body of " + body.length + " bytes");
        }
        this.body = body;
        this.length = length;
        this.samples = samples;
    }

    /** The encoder's buffer; only the first {@link #length()} bytes belong to the batch. */
    public byte[] body() {
        return body;
    }

    public int length() {
        return length;
    }

    /** Values in the batch (what {@code streammetrics_push_samples_total} counts). */
    public int samples() {
        return samples;
    }
}
