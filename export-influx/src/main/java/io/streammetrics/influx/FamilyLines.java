package io.streammetrics.influx;

import io.streammetrics.common.MetricType;
import io.streammetrics.internal.registry.NameRules;
import io.streammetrics.internal.text.DoubleFormat;
import io.streammetrics.metadata.FamilyMetadata;

import java.nio.charset.StandardCharsets;

/**
 * What a push writes for one family that never changes, escaped and encoded once: the measurement (the family's
 * Prometheus name without {@code _total}: {@code orders}, {@code latency_seconds}) and the field keys with their
 * {@code =} (and the leading comma where a field follows another).
 */
final class FamilyLines {
    static final byte[] VALUE = ascii("value=");
    static final byte[] DELTA = ascii(",delta=");
    static final byte[] COUNT = ascii("count=");
    static final byte[] SUM = ascii(",sum=");
    static final byte[] MIN = ascii(",min=");
    static final byte[] MAX = ascii(",max=");

    final MetricType type;
    final double scale;
    final String measurement;
    /** {@code ,p50=} and so on, one per configured quantile. */
    final byte[][] quantileKeys;
    /** {@code ,0.005=} and so on, one per classic bucket with {@code +Inf} last; empty when buckets are not sent. */
    final byte[][] bucketKeys;

    FamilyLines(FamilyMetadata family, double[] quantiles, boolean classicBuckets) {
        this.type = family.type();
        this.scale = type.exportScale();
        this.measurement = LineEscaper.measurement(NameRules.exportedName(family.name(), type, family.unit()));
        boolean distribution = type.isDistribution();
        this.quantileKeys = new byte[distribution ? quantiles.length : 0][];
        for (int i = 0; i < quantileKeys.length; i++) {
            quantileKeys[i] = ascii("," + quantileField(quantiles[i]) + "=");
        }
        double[] bounds = distribution && classicBuckets ? family.classicUpperBounds() : new double[0];
        this.bucketKeys = new byte[distribution && classicBuckets ? bounds.length + 1 : 0][];
        byte[] number = new byte[DoubleFormat.MAX_LENGTH];
        for (int i = 0; i < bucketKeys.length; i++) {
            double bound = i < bounds.length ? bounds[i] : Double.POSITIVE_INFINITY;
            String le = new String(number, 0, DoubleFormat.write(bound, number, 0), StandardCharsets.US_ASCII);
            bucketKeys[i] = ascii("," + LineEscaper.key(le) + "=");
        }
    }

    /** {@code p50}, {@code p90}, {@code p99}, {@code p99_9}: the percentile with {@code _} for the point. */
    static String quantileField(double q) {
        String percent = java.math.BigDecimal.valueOf(q).movePointRight(2).stripTrailingZeros().toPlainString();
        return "p" + percent.replace('.', '_');
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
