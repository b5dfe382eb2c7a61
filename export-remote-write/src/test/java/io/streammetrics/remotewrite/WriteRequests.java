package io.streammetrics.remotewrite;

import com.google.protobuf.CodedInputStream;
import io.airlift.compress.snappy.SnappyDecompressor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test-side reader of remote-write 1.0 {@code WriteRequest}s, written from Prometheus' {@code remote.proto} and
 * {@code types.proto} with protobuf-java's {@link CodedInputStream}, independent of the encoder under test: time
 * series (labels in wire order, samples), metadata; unknown fields fail the test.
 */
final class WriteRequests {
    record Sample(double value, long timestamp) {
    }

    /**
     * A native histogram as sent: integer count, sum, schema, zero bucket and the positive buckets by Prometheus
     * index (rebuilt from spans and deltas; empty buckets inside a span kept as 0).
     */
    record NativeHistogram(long count, double sum, int schema, double zeroThreshold, long zeroCount,
                           Map<Integer, Long> buckets, long timestamp) {
    }

    record Series(Map<String, String> labels, List<String> labelOrder, List<Sample> samples,
                  List<NativeHistogram> histograms) {
        String name() {
            return labels.get("__name__");
        }
    }

    record Metadata(int type, String family, String help, String unit) {
    }

    record Request(List<Series> series, List<Metadata> metadata) {
        /** The one series with {@code name} and these extra label pairs (name, value, ...). */
        /** The one native histogram of the series {@code name} with these labels. */
        NativeHistogram histogram(String name, String... labels) {
            List<NativeHistogram> histograms = find(name, labels).histograms();
            if (histograms.size() != 1) {
                throw new AssertionError(name + " has " + histograms.size() + " native histograms");
            }
            return histograms.get(0);
        }

        Series find(String name, String... labels) {
            Series found = null;
            for (Series s : series) {
                if (!name.equals(s.name())) {
                    continue;
                }
                boolean match = true;
                for (int i = 0; i < labels.length; i += 2) {
                    match &= labels[i + 1].equals(s.labels().get(labels[i]));
                }
                if (match) {
                    if (found != null) {
                        throw new AssertionError("two series match " + name + " " + List.of(labels));
                    }
                    found = s;
                }
            }
            if (found == null) {
                throw new AssertionError("no series " + name + " " + List.of(labels) + " in " + series);
            }
            return found;
        }

        double value(String name, String... labels) {
            List<Sample> samples = find(name, labels).samples();
            if (!find(name, labels).histograms().isEmpty()) {
                throw new AssertionError(name + " carries a native histogram next to its samples");
            }
            if (samples.size() != 1) {
                throw new AssertionError(name + " has " + samples.size() + " samples");
            }
            return samples.get(0).value();
        }
    }

    private WriteRequests() {
    }

    /** Decompresses a snappy block and reads the request. */
    static Request decompressAndRead(byte[] body, int length) throws IOException {
        SnappyDecompressor snappy = new SnappyDecompressor();
        int size = SnappyDecompressor.getUncompressedLength(body, 0);
        byte[] raw = new byte[size];
        int n = snappy.decompress(body, 0, length, raw, 0, size);
        if (n != size) {
            throw new AssertionError("snappy gave " + n + " of " + size + " bytes");
        }
        return read(raw);
    }

    static Request read(byte[] raw) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(raw);
        List<Series> series = new ArrayList<>();
        List<Metadata> metadata = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (tag >>> 3) {
                case 1 -> series.add(series(in.readBytes().newCodedInput()));
                case 3 -> metadata.add(metadata(in.readBytes().newCodedInput()));
                default -> throw new AssertionError("unexpected WriteRequest field " + (tag >>> 3));
            }
        }
        return new Request(series, metadata);
    }

    private static Series series(CodedInputStream in) throws IOException {
        Map<String, String> labels = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        List<NativeHistogram> histograms = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (tag >>> 3) {
                case 4 -> histograms.add(histogram(in.readBytes().newCodedInput()));
                case 1 -> {
                    CodedInputStream label = in.readBytes().newCodedInput();
                    String name = null;
                    String value = null;
                    int t;
                    while ((t = label.readTag()) != 0) {
                        if (t >>> 3 == 1) {
                            name = label.readStringRequireUtf8();
                        } else if (t >>> 3 == 2) {
                            value = label.readStringRequireUtf8();
                        } else {
                            throw new AssertionError("unexpected Label field " + (t >>> 3));
                        }
                    }
                    if (labels.put(name, value) != null) {
                        throw new AssertionError("label " + name + " twice");
                    }
                    order.add(name);
                }
                case 2 -> {
                    CodedInputStream sample = in.readBytes().newCodedInput();
                    double value = 0;
                    long timestamp = 0;
                    int t;
                    while ((t = sample.readTag()) != 0) {
                        if (t == (1 << 3 | 1)) {
                            value = sample.readDouble();
                        } else if (t == (2 << 3)) {
                            timestamp = sample.readInt64();
                        } else {
                            throw new AssertionError("unexpected Sample tag " + t);
                        }
                    }
                    samples.add(new Sample(value, timestamp));
                }
                default -> throw new AssertionError("unexpected TimeSeries field " + (tag >>> 3));
            }
        }
        return new Series(labels, order, samples, histograms);
    }

    private static NativeHistogram histogram(CodedInputStream in) throws IOException {
        long count = 0;
        double sum = 0;
        int schema = 0;
        double zeroThreshold = 0;
        long zeroCount = 0;
        long timestamp = 0;
        List<int[]> spans = new ArrayList<>();
        List<Long> deltas = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (tag >>> 3) {
                case 1 -> count = in.readUInt64();
                case 3 -> sum = in.readDouble();
                case 4 -> schema = in.readSInt32();
                case 5 -> zeroThreshold = in.readDouble();
                case 6 -> zeroCount = in.readUInt64();
                case 11 -> {
                    CodedInputStream span = in.readBytes().newCodedInput();
                    int offset = 0;
                    int length = 0;
                    int t;
                    while ((t = span.readTag()) != 0) {
                        if (t >>> 3 == 1) {
                            offset = span.readSInt32();
                        } else if (t >>> 3 == 2) {
                            length = span.readUInt32();
                        } else {
                            throw new AssertionError("unexpected BucketSpan field " + (t >>> 3));
                        }
                    }
                    spans.add(new int[] {offset, length});
                }
                case 12 -> {
                    CodedInputStream packed = in.readBytes().newCodedInput();
                    while (!packed.isAtEnd()) {
                        deltas.add(packed.readSInt64());
                    }
                }
                case 15 -> timestamp = in.readInt64();
                default -> throw new AssertionError("unexpected (or float) Histogram field " + (tag >>> 3));
            }
        }
        // Spans: the first offset is the first bucket's index, later ones the gap after the previous span.
        Map<Integer, Long> buckets = new java.util.TreeMap<>();
        int index = 0;
        int at = 0;
        long bucket = 0;
        for (int s = 0; s < spans.size(); s++) {
            index += spans.get(s)[0];
            for (int i = 0; i < spans.get(s)[1]; i++) {
                bucket += deltas.get(at++);
                buckets.put(index++, bucket);
            }
        }
        if (at != deltas.size()) {
            throw new AssertionError(deltas.size() + " deltas for spans of " + at + " buckets");
        }
        return new NativeHistogram(count, sum, schema, zeroThreshold, zeroCount, buckets, timestamp);
    }

    private static Metadata metadata(CodedInputStream in) throws IOException {
        int type = 0;
        String family = "";
        String help = "";
        String unit = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (tag >>> 3) {
                case 1 -> type = in.readEnum();
                case 2 -> family = in.readStringRequireUtf8();
                case 4 -> help = in.readStringRequireUtf8();
                case 5 -> unit = in.readStringRequireUtf8();
                default -> throw new AssertionError("unexpected MetricMetadata field " + (tag >>> 3));
            }
        }
        return new Metadata(type, family, help, unit);
    }
}
