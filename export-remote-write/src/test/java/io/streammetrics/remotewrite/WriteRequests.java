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

    record Series(Map<String, String> labels, List<String> labelOrder, List<Sample> samples) {
        String name() {
            return labels.get("__name__");
        }
    }

    record Metadata(int type, String family, String help, String unit) {
    }

    record Request(List<Series> series, List<Metadata> metadata) {
        /** The one series with {@code name} and these extra label pairs (name, value, ...). */
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
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (tag >>> 3) {
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
        return new Series(labels, order, samples);
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
