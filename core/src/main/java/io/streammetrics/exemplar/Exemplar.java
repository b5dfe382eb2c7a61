package io.streammetrics.exemplar;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One exemplar as a snapshot shows it: a recorded value with the trace and span it belongs to, when it was recorded,
 * extra exemplar labels, and the place it holds in its series (a classic bucket, the newest or the largest of a
 * histogram, or a counter's one). Immutable.
 *
 * <p>Trace and span ids are kept as the record path took them, two longs and one long (the W3C trace context's 16 and
 * 8 bytes, big-endian); {@link #traceId()} and {@link #spanId()} give the lowercase hex that OpenMetrics, Prometheus
 * and OTLP backends show.
 */
public final class Exemplar {
    /** Where an exemplar sits in its series. */
    public enum Kind {
        /** A counter's exemplar (one per series). */
        COUNTER,
        /** The exemplar of one classic bucket of a histogram or timer ({@link #classicBucket()}). */
        CLASSIC_BUCKET,
        /** The newest exemplar of a histogram or timer, whatever its bucket (for native histograms). */
        NEWEST,
        /** The largest value sampled in the retention interval (for native histograms). */
        LARGEST
    }

    private final Kind kind;
    private final int classicBucket;
    private final double value;
    private final long traceIdHigh;
    private final long traceIdLow;
    private final long spanId;
    private final long timestampMillis;
    private final Map<String, String> labels;

    /**
     * @param classicBucket the classic bucket index for {@link Kind#CLASSIC_BUCKET} (the {@code le} bound's position,
     *                      or the bound count for values above the last bound), else -1
     * @param value         the recorded value in the unit recorded (nanoseconds for timers), or a counter's increment
     * @param labels        extra exemplar labels, in order (empty for none)
     */
    public Exemplar(Kind kind, int classicBucket, double value, long traceIdHigh, long traceIdLow, long spanId,
                    long timestampMillis, Map<String, String> labels) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.classicBucket = classicBucket;
        this.value = value;
        this.traceIdHigh = traceIdHigh;
        this.traceIdLow = traceIdLow;
        this.spanId = spanId;
        this.timestampMillis = timestampMillis;
        this.labels = Objects.requireNonNull(labels, "labels");
    }

    public Kind kind() {
        return kind;
    }

    /** The classic bucket index for {@link Kind#CLASSIC_BUCKET}, else -1. */
    public int classicBucket() {
        return classicBucket;
    }

    /** The recorded value in the unit recorded (nanoseconds for timers), or a counter's increment. */
    public double value() {
        return value;
    }

    public long traceIdHigh() {
        return traceIdHigh;
    }

    public long traceIdLow() {
        return traceIdLow;
    }

    public long spanId() {
        return spanId;
    }

    /** The trace id as 32 lowercase hex digits. */
    public String traceId() {
        return TraceIds.hex(traceIdHigh, traceIdLow);
    }

    /** The span id as 16 lowercase hex digits. */
    public String spanIdHex() {
        return TraceIds.hex(spanId);
    }

    /** When the value was recorded, epoch millis. */
    public long timestampMillis() {
        return timestampMillis;
    }

    /** Extra exemplar labels (besides trace and span id), unmodifiable, in the order given. */
    public Map<String, String> labels() {
        return labels;
    }

    /**
     * Whether {@code other} is the same sampled record (ids, value, time) in another slot: a histogram's newest or
     * largest is often also a classic bucket's, and an exporter that lists them all writes it once.
     */
    public boolean sameRecord(Exemplar other) {
        return traceIdHigh == other.traceIdHigh && traceIdLow == other.traceIdLow && spanId == other.spanId
                && timestampMillis == other.timestampMillis && Double.compare(value, other.value) == 0;
    }

    /** {@code exemplars} with each sampled record once ({@link #sameRecord}), in their order. */
    public static List<Exemplar> distinct(List<Exemplar> exemplars) {
        List<Exemplar> out = new ArrayList<>(exemplars.size());
        for (Exemplar e : exemplars) {
            boolean seen = false;
            for (Exemplar kept : out) {
                seen |= kept.sameRecord(e);
            }
            if (!seen) {
                out.add(e);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Exemplar)) {
            return false;
        }
        Exemplar e = (Exemplar) o;
        return kind == e.kind && classicBucket == e.classicBucket && Double.compare(value, e.value) == 0
                && traceIdHigh == e.traceIdHigh && traceIdLow == e.traceIdLow && spanId == e.spanId
                && timestampMillis == e.timestampMillis && labels.equals(e.labels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, classicBucket, value, traceIdHigh, traceIdLow, spanId, timestampMillis, labels);
    }

    @Override
    public String toString() {
        return "Exemplar[" + kind + (classicBucket >= 0 ? " " + classicBucket : "") + ", value=" + value
                + ", trace_id=" + traceId() + ", span_id=" + spanIdHex() + ", at=" + timestampMillis
                + (labels.isEmpty() ? "" : ", " + labels) + "]";
    }
}
