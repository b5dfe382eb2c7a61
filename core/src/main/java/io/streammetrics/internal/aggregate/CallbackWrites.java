package io.streammetrics.internal.aggregate;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;

/**
 * Callback samples on their way from the snapshot side to the store: the snapshot that samples the callbacks offers
 * what changed here, and the aggregator, the store's only writer, applies it on its next pass. A reader of the
 * store file (another process) sees callback values this way; readers in this process take them from the snapshot
 * side directly. This replaces publishing samples on the snapshot thread's producer ring, which made every thread
 * that scraped or evaluated claim a ring of its own (a megabyte at the default ring size) for a handful of values.
 *
 * <p>One producer at a time (snapshots are taken under one lock, which orders them) and one consumer: an Agrona
 * one-to-one ring buffer of fixed size, so a full buffer refuses an offer ({@code false}) and the snapshot side
 * offers the value again at its next sample; nothing is lost for good, nothing waits.
 */
public final class CallbackWrites {
    /** Room for about 2,700 samples between two aggregator passes (24 bytes each with the record header). */
    static final int CAPACITY_BYTES = 64 * 1024;
    private static final int GAUGE_SET = 1;
    private static final int COUNTER_ADD = 2;
    /** Series id, then the value's bits. */
    private static final int MESSAGE_LENGTH = 12;

    private final RingBuffer buffer = new OneToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(CAPACITY_BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
    private final UnsafeBuffer messages = (UnsafeBuffer) buffer.buffer();
    /** Set by the aggregator's drain, so that a drain allocates nothing. */
    private Sink sink;
    private final MessageHandler handler = this::onMessage;

    /** An empty buffer of {@value #CAPACITY_BYTES} bytes. */
    public CallbackWrites() {
    }

    /** Applies samples to the store: the aggregator. */
    public interface Sink {
        /** Sets a callback gauge to {@code value}, not NaN. */
        void gaugeSample(int seriesId, double value);

        /** Adds {@code amount}, finite and positive, to a callback counter: its growth since the last offer. */
        void counterSample(int seriesId, double amount);
    }

    /** Offers a callback gauge's value; false if the buffer is full (offer it again later). */
    public boolean offerGauge(int seriesId, double value) {
        return offer(GAUGE_SET, seriesId, value);
    }

    /** Offers a callback counter's growth; false if the buffer is full (offer it again later). */
    public boolean offerCounterGrowth(int seriesId, double amount) {
        return offer(COUNTER_ADD, seriesId, amount);
    }

    private boolean offer(int type, int seriesId, double value) {
        int at = buffer.tryClaim(type, MESSAGE_LENGTH);
        if (at < 0) {
            return false;
        }
        messages.putInt(at, seriesId);
        messages.putLong(at + 4, Double.doubleToRawLongBits(value));
        buffer.commit(at);
        return true;
    }

    /** Applies every offered sample to {@code sink} (the store's writer only); returns how many. */
    int drain(Sink sink) {
        this.sink = sink;
        return buffer.read(handler);
    }

    private void onMessage(int type, MutableDirectBuffer source, int index, int length) {
        int seriesId = source.getInt(index);
        double value = Double.longBitsToDouble(source.getLong(index + 4));
        if (type == GAUGE_SET) {
            sink.gaugeSample(seriesId, value);
        } else {
            sink.counterSample(seriesId, value);
        }
    }
}
