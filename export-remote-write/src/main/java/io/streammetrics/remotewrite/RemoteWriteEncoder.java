package io.streammetrics.remotewrite;

import com.google.protobuf.CodedOutputStream;
import io.airlift.compress.snappy.SnappyCompressor;
import io.streammetrics.MetricsEngine;
import io.streammetrics.internal.exponential.ExponentialBucketMapping;
import io.streammetrics.internal.exponential.ExponentialBuckets;
import io.streammetrics.internal.exponential.ExponentialScale;
import io.streammetrics.internal.registry.IdTable;
import io.streammetrics.internal.store.ClassicReading;
import io.streammetrics.internal.store.HistogramReading;
import io.streammetrics.metadata.FamilyMetadata;
import io.streammetrics.metadata.SeriesMetadata;
import io.streammetrics.common.MetricType;
import io.streammetrics.push.PushBatch;
import io.streammetrics.push.PushEncoder;
import io.streammetrics.push.SeriesLabels;
import io.streammetrics.snapshot.SeriesCursor;
import io.streammetrics.snapshot.SeriesVisitor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;

/**
 * Encodes an engine's series as one Prometheus remote-write 1.0 {@code WriteRequest} (protobuf, then snappy block
 * compression), straight from the store ({@link MetricsEngine#snapshot(SeriesVisitor)}): a {@code TimeSeries} with
 * one sample per counter, gauge and classic bucket, {@code _sum} and {@code _count}, a native {@code Histogram} per
 * histogram of a family sent as native (the core's {@link ExponentialBucketMapping}, the scrape's mapping), all
 * stamped with the read's time, and a {@code MetricMetadata} per family.
 *
 * <p>Nothing is allocated per sample: label sets are encoded once per series and family and copied as bytes; each
 * {@code TimeSeries} is written through {@link CodedOutputStream} into one reused buffer (its length is known
 * before it is written, so no message is built); the compressed request goes into a second reused buffer. Both
 * grow to the largest push seen and stay. Not thread-safe: one push loop uses it.
 */
final class RemoteWriteEncoder implements PushEncoder, SeriesVisitor {
    /** {@code WriteRequest.timeseries} and {@code TimeSeries.labels} (both field 1). */
    static final int TIMESERIES = 1;
    static final int LABELS = 1;
    private static final int SAMPLES = 2;
    /** Sample: {@code double value = 1} (fixed64) and {@code int64 timestamp = 2} (varint) without the timestamp. */
    private static final int SAMPLE_VALUE_SIZE = 1 + 8;
    /** {@code TimeSeries.histograms} and the fields of {@code Histogram} that a push writes ({@code types.proto}). */
    private static final int HISTOGRAMS = 4;
    private static final int H_COUNT_INT = 1;
    private static final int H_SUM = 3;
    private static final int H_SCHEMA = 4;
    private static final int H_ZERO_THRESHOLD = 5;
    private static final int H_ZERO_COUNT_INT = 6;
    private static final int H_POSITIVE_SPANS = 11;
    private static final int H_POSITIVE_DELTAS = 12;
    private static final int H_TIMESTAMP = 15;
    /** The least zero-bucket threshold, client_java's default: 2^-128. */
    static final double NATIVE_MIN_ZERO_THRESHOLD = Math.scalb(1.0, -128);

    private final MetricsEngine engine;
    private final Map<String, String> externalLabels;
    private final Function<String, HistogramFormat> formats;
    private final boolean metadata;
    private final int nativeMaxBuckets;
    /** Native bucket mappings by export divisor (1 and 1e9), made on first use: they hold a per-layout table. */
    private ExponentialBucketMapping unitMapping;
    private ExponentialBucketMapping timerMapping;
    private final ExponentialBuckets buckets = new ExponentialBuckets();
    private final ClassicReading classicHolder = new ClassicReading();
    private final IdTable<FamilyEncoding> families = new IdTable<>(64);
    private final IdTable<EncodedLabels> series = new IdTable<>(1024);
    private final Function<FamilyMetadata, FamilyEncoding> newFamily;
    private final Function<SeriesMetadata, EncodedLabels> newSeries;
    private final SnappyCompressor snappy = new SnappyCompressor();
    private final PushBatch batch = new PushBatch();

    private byte[] raw = new byte[1 << 16];
    private int rawBase;
    private CodedOutputStream out;
    private byte[] compressed = new byte[0];
    private FamilyMetadata familyDescriptor;
    private FamilyEncoding family;
    private long timestamp;
    private int samples;

    RemoteWriteEncoder(MetricsEngine engine, Map<String, String> externalLabels,
                       Function<String, HistogramFormat> formats, boolean metadata, int nativeMaxBuckets) {
        this.engine = engine;
        this.externalLabels = externalLabels;
        this.formats = formats;
        this.metadata = metadata;
        this.nativeMaxBuckets = nativeMaxBuckets;
        this.newFamily = f -> new FamilyEncoding(f, this.formats.apply(f.name()));
        this.newSeries = s -> EncodedLabels.of(SeriesLabels.of(familyDescriptor, s, this.externalLabels));
    }

    @Override
    public PushBatch encode() {
        rawBase = 0;
        out = CodedOutputStream.newInstance(raw);
        samples = 0;
        engine.snapshot(this);
        int length = position();
        int bound = snappy.maxCompressedLength(length);
        if (compressed.length < bound) {
            compressed = new byte[Math.max(bound, compressed.length * 2)];
        }
        int size = snappy.compress(raw, 0, length, compressed, 0, compressed.length);
        batch.set(compressed, size, samples);
        return batch;
    }

    /** The uncompressed {@code WriteRequest} of the last {@link #encode()}, for tests. */
    byte[] lastRequest() {
        return Arrays.copyOf(raw, position());
    }

    @Override
    public void family(FamilyMetadata descriptor, long timestampMillis) {
        this.familyDescriptor = descriptor;
        this.family = families.computeIfAbsent(descriptor.index(), descriptor, newFamily);
        this.timestamp = timestampMillis;
        if (metadata) {
            ensure(family.metadata.length);
            writeRaw(family.metadata);
        }
    }

    @Override
    public void series(SeriesCursor cursor) {
        EncodedLabels labels = series.computeIfAbsent(cursor.series().id(), cursor.series(), newSeries);
        switch (family.type) {
            case COUNTER -> writeSample(labels, family.name, null, cursor.counterValue());
            case GAUGE -> writeSample(labels, family.name, null, cursor.gaugeValue());
            default -> writeHistogram(labels, cursor);
        }
    }

    private void writeHistogram(EncodedLabels labels, SeriesCursor cursor) {
        if (family.nativeBuckets) {
            // With classic buckets too: one read for both, so that they agree on the count.
            HistogramReading hdr = family.classic ? cursor.histogram(classicHolder) : cursor.histogram();
            nativeMapping().map(hdr, nativeMaxBuckets, buckets);
            writeNative(labels, hdr.count(), hdr.sum() / family.scale);
            if (family.classic) {
                writeClassic(labels, classicHolder);
            }
        } else if (family.classic) {
            writeClassic(labels, cursor.classicHistogram());
        }
    }

    private ExponentialBucketMapping nativeMapping() {
        if (family.scale == 1) {
            if (unitMapping == null) {
                unitMapping = newMapping(1);
            }
            return unitMapping;
        }
        if (timerMapping == null) {
            timerMapping = newMapping(family.scale);
        }
        return timerMapping;
    }

    private ExponentialBucketMapping newMapping(double divisor) {
        return new ExponentialBucketMapping(engine.histogramLayout(), divisor, ExponentialScale.PROMETHEUS_MAX_SCHEMA,
                ExponentialScale.PROMETHEUS_MIN_SCHEMA, NATIVE_MIN_ZERO_THRESHOLD);
    }

    /**
     * One {@code TimeSeries} with one native {@code Histogram} of {@link #buckets}: integer counts, one span over the
     * populated range (empty buckets inside it written as zero deltas), no reset hint (Prometheus detects resets).
     */
    private void writeNative(EncodedLabels labels, long count, double sum) {
        int length = buckets.length();
        int spanIndex = length == 0 ? 0 : ExponentialScale.prometheusIndex(buckets.offset());
        int spanBody = CodedOutputStream.computeSInt32Size(1, spanIndex) + CodedOutputStream.computeUInt32Size(2, length);
        int deltaBytes = 0;
        long previous = 0;
        for (int i = 0; i < length; i++) {
            long bucket = buckets.countAt(i);
            deltaBytes += CodedOutputStream.computeSInt64SizeNoTag(bucket - previous);
            previous = bucket;
        }
        int spansAndDeltas = length == 0 ? 0
                : CodedOutputStream.computeTagSize(H_POSITIVE_SPANS) + CodedOutputStream.computeUInt32SizeNoTag(spanBody)
                + spanBody + CodedOutputStream.computeTagSize(H_POSITIVE_DELTAS)
                + CodedOutputStream.computeUInt32SizeNoTag(deltaBytes) + deltaBytes;
        int histogram = CodedOutputStream.computeUInt64Size(H_COUNT_INT, count)
                + CodedOutputStream.computeDoubleSize(H_SUM, sum)
                + CodedOutputStream.computeSInt32Size(H_SCHEMA, buckets.scale())
                + CodedOutputStream.computeDoubleSize(H_ZERO_THRESHOLD, buckets.zeroThreshold())
                + CodedOutputStream.computeUInt64Size(H_ZERO_COUNT_INT, buckets.zeroCount())
                + spansAndDeltas + CodedOutputStream.computeInt64Size(H_TIMESTAMP, timestamp);
        int histogramField = 1 + CodedOutputStream.computeUInt32SizeNoTag(histogram) + histogram;
        int body = labels.bytes.length + family.name.length + histogramField;
        ensure(1 + CodedOutputStream.computeUInt32SizeNoTag(body) + body);
        try {
            out.writeTag(TIMESERIES, ProtoBytes.LEN);
            out.writeUInt32NoTag(body);
            out.write(labels.bytes, 0, labels.nameAt);
            out.write(family.name, 0, family.name.length);
            out.write(labels.bytes, labels.nameAt, labels.bytes.length - labels.nameAt);
            out.writeTag(HISTOGRAMS, ProtoBytes.LEN);
            out.writeUInt32NoTag(histogram);
            out.writeUInt64(H_COUNT_INT, count);
            out.writeDouble(H_SUM, sum);
            out.writeSInt32(H_SCHEMA, buckets.scale());
            out.writeDouble(H_ZERO_THRESHOLD, buckets.zeroThreshold());
            out.writeUInt64(H_ZERO_COUNT_INT, buckets.zeroCount());
            if (length > 0) {
                out.writeTag(H_POSITIVE_SPANS, ProtoBytes.LEN);
                out.writeUInt32NoTag(spanBody);
                out.writeSInt32(1, spanIndex);
                out.writeUInt32(2, length);
                out.writeTag(H_POSITIVE_DELTAS, ProtoBytes.LEN);
                out.writeUInt32NoTag(deltaBytes);
                previous = 0;
                for (int i = 0; i < length; i++) {
                    long bucket = buckets.countAt(i);
                    out.writeSInt64NoTag(bucket - previous);
                    previous = bucket;
                }
            }
            out.writeInt64(H_TIMESTAMP, timestamp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        samples++;
    }

    private void writeClassic(EncodedLabels labels, ClassicReading reading) {
        long cumulative = 0;
        for (int k = 0; k <= reading.boundCount(); k++) {
            cumulative += reading.bucketCount(k);
            writeSample(labels, family.bucket, family.le[k], cumulative);
        }
        writeSample(labels, family.sum, null, reading.sum() / family.scale);
        writeSample(labels, family.count, null, reading.count());
    }

    /** One {@code TimeSeries} with one {@code Sample}: labels {@code [head, name, middle, le?, tail]}, value, time. */
    private void writeSample(EncodedLabels labels, byte[] name, byte[] le, double value) {
        int sampleBody = SAMPLE_VALUE_SIZE + 1 + CodedOutputStream.computeInt64SizeNoTag(timestamp);
        int sampleField = 1 + CodedOutputStream.computeUInt32SizeNoTag(sampleBody) + sampleBody;
        int body = labels.bytes.length + name.length + (le == null ? 0 : le.length) + sampleField;
        ensure(1 + CodedOutputStream.computeUInt32SizeNoTag(body) + body);
        try {
            out.writeTag(TIMESERIES, ProtoBytes.LEN);
            out.writeUInt32NoTag(body);
            out.write(labels.bytes, 0, labels.nameAt);
            out.write(name, 0, name.length);
            if (le == null) {
                out.write(labels.bytes, labels.nameAt, labels.bytes.length - labels.nameAt);
            } else {
                out.write(labels.bytes, labels.nameAt, labels.leAt - labels.nameAt);
                out.write(le, 0, le.length);
                out.write(labels.bytes, labels.leAt, labels.bytes.length - labels.leAt);
            }
            out.writeTag(SAMPLES, ProtoBytes.LEN);
            out.writeUInt32NoTag(sampleBody);
            out.writeDouble(1, value);
            out.writeInt64(2, timestamp);
        } catch (IOException e) {
            // ensure() made room: an array-backed stream only throws when it runs out of it.
            throw new UncheckedIOException(e);
        }
        samples++;
    }

    private void writeRaw(byte[] bytes) {
        try {
            out.write(bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int position() {
        return rawBase + out.getTotalBytesWritten();
    }

    /** Makes room for {@code bytes} more, moving to a buffer twice as large when needed (kept for later pushes). */
    private void ensure(int bytes) {
        if (out.spaceLeft() >= bytes) {
            return;
        }
        int position = position();
        raw = Arrays.copyOf(raw, Math.max(raw.length * 2, position + bytes));
        rawBase = position;
        out = CodedOutputStream.newInstance(raw, position, raw.length - position);
    }

    /**
     * A series' labels as consecutive encoded {@code Label} fields, sorted by name, with the two places where the
     * per-sample labels go: {@code __name__} at {@link #nameAt}, {@code le} at {@link #leAt} (every label name
     * sorts either before {@code __name__}, between it and {@code le}, or after {@code le}).
     */
    static final class EncodedLabels {
        final byte[] bytes;
        final int nameAt;
        final int leAt;

        private EncodedLabels(byte[] bytes, int nameAt, int leAt) {
            this.bytes = bytes;
            this.nameAt = nameAt;
            this.leAt = leAt;
        }

        static EncodedLabels of(Map<String, String> sortedLabels) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int nameAt = -1;
            int leAt = -1;
            for (Map.Entry<String, String> label : sortedLabels.entrySet()) {
                if (nameAt < 0 && label.getKey().compareTo("__name__") > 0) {
                    nameAt = bytes.size();
                }
                if (leAt < 0 && label.getKey().compareTo("le") > 0) {
                    leAt = bytes.size();
                }
                bytes.writeBytes(ProtoBytes.label(LABELS, label.getKey(), label.getValue()));
            }
            int end = bytes.size();
            return new EncodedLabels(bytes.toByteArray(), nameAt < 0 ? end : nameAt, leAt < 0 ? end : leAt);
        }
    }
}
