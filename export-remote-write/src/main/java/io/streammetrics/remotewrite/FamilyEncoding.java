package io.streammetrics.remotewrite;

import io.streammetrics.common.MetricType;
import io.streammetrics.internal.registry.NameRules;
import io.streammetrics.internal.text.DoubleFormat;
import io.streammetrics.metadata.FamilyMetadata;

import java.nio.charset.StandardCharsets;

/**
 * What a push writes for one family that never changes, encoded once: the {@code __name__} labels of its series
 * (with the {@code _total}, {@code _bucket}, {@code _sum} and {@code _count} suffixes), the {@code le} label of
 * each classic bucket (bounds written as the Prometheus scrape writes them, so both paths give the same series),
 * the metadata entry, and whether native buckets are sent.
 */
final class FamilyEncoding {
    /** {@code MetricMetadata.MetricType} values of Prometheus' {@code types.proto}. */
    private static final int META_COUNTER = 1;
    private static final int META_GAUGE = 2;
    private static final int META_HISTOGRAM = 3;

    final MetricType type;
    final double scale;
    /** {@code __name__} of counter and gauge samples and of native histograms (the name without suffix). */
    final byte[] name;
    final byte[] bucket;
    final byte[] sum;
    final byte[] count;
    /** {@code le} label of each classic bucket, {@code +Inf} last; empty when classic buckets are not sent. */
    final byte[][] le;
    final boolean classic;
    final boolean nativeBuckets;
    final byte[] metadata;

    FamilyEncoding(FamilyMetadata family, HistogramFormat format) {
        this.type = family.type();
        this.scale = type.exportScale();
        String exported = NameRules.exportedName(family.name(), type, family.unit());
        String sampleName = type == MetricType.COUNTER ? exported + "_total" : exported;
        this.name = nameLabel(sampleName);
        this.bucket = nameLabel(exported + "_bucket");
        this.sum = nameLabel(exported + "_sum");
        this.count = nameLabel(exported + "_count");
        boolean distribution = type.isDistribution();
        this.classic = distribution && format.classic();
        this.nativeBuckets = distribution && format.nativeBuckets();
        double[] bounds = classic ? family.classicUpperBounds() : new double[0];
        this.le = new byte[classic ? bounds.length + 1 : 0][];
        byte[] number = new byte[DoubleFormat.MAX_LENGTH];
        for (int i = 0; i < le.length; i++) {
            double bound = i < bounds.length ? bounds[i] : Double.POSITIVE_INFINITY;
            int length = DoubleFormat.write(bound, number, 0);
            le[i] = ProtoBytes.label(RemoteWriteEncoder.LABELS, "le",
                    new String(number, 0, length, StandardCharsets.US_ASCII));
        }
        int metaType = type == MetricType.COUNTER ? META_COUNTER : type == MetricType.GAUGE ? META_GAUGE
                : META_HISTOGRAM;
        String unit = type == MetricType.TIMER ? "seconds" : family.unit() == null ? "" : family.unit().name();
        this.metadata = ProtoBytes.metadata(metaType, sampleName, family.help() == null ? "" : family.help(), unit);
    }

    private static byte[] nameLabel(String value) {
        return ProtoBytes.label(RemoteWriteEncoder.LABELS, "__name__", value);
    }
}
