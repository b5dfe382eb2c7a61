package io.streammetrics.prometheus;

import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.streammetrics.exponential.ExponentialBucketMapping;
import io.streammetrics.metric.MetricType;
import io.streammetrics.registry.FamilyDescriptor;
import io.streammetrics.registry.NameRules;
import io.streammetrics.registry.SeriesDescriptor;
import io.streammetrics.text.DoubleFormat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything about one family that a scrape writes but that never changes, worked out once per collector (see
 * {@link PrometheusCollector#plan}) and shared by its two scrape paths: how the family's values are exported
 * (buckets, where they are read from, scale, summary window) and its client_java metadata, for both
 * {@link PrometheusCollector#collect()} and {@link StoreTextWriter}; and, encoded as UTF-8 bytes for the latter, the
 * {@code # HELP}/{@code # TYPE}/{@code # UNIT} lines of both text formats, the sample names with their suffixes and
 * the {@code le} labels.
 */
final class FamilyPlan {
    static final int COUNTER = 0;
    static final int GAUGE = 1;
    static final int HISTOGRAM = 2;
    static final int SUMMARY = 3;

    /** {@code quantile="..."}} for {@link SlidingWindowSummary#QUANTILES}, in that order. */
    static final byte[][] QUANTILE_LABELS = extraLabels("quantile", SlidingWindowSummary.QUANTILES);

    /** Null when the family is left out of scrapes (as the collector leaves it out). */
    final String prometheusName;
    /** What client_java accepted for the family: name, help and unit; null when left out. */
    final MetricMetadata metadata;
    /** Why the family is left out, and what client_java threw if it did; null when exported. */
    final String skipReason;
    final RuntimeException skipCause;
    final int kind;
    private final MetricType type;
    final double scale;
    /**
     * Whether classic buckets are exported ({@link HistogramMode#classic()}); they are then {@link #bounds} and
     * {@code +Inf}, only {@code +Inf} if an exporter set no bounds.
     */
    final boolean classic;
    /** Classic bounds in exported units without {@code +Inf}; empty when only native buckets are exported. */
    final double[] bounds;
    /** {@link #bounds} and {@code +Inf}, as client_java's classic buckets take them (it copies them). */
    final double[] leBounds;
    /** {@link ClassicBucketMapping#indexLimits} of {@link #bounds}. */
    final int[] limits;
    /**
     * Whether a scrape takes the classic counts from the store's ({@code SeriesCursor.classicHistogram()},
     * {@link ClassicBucketMapping#counts(io.streammetrics.store.ClassicReading, int, long[])}) rather than mapping
     * the HDR buckets: when {@link #bounds} are the family's own, or empty (then count and sum suffice for the
     * classic buckets; native buckets, when exported, still come from the HDR buckets).
     */
    final boolean storedClassic;
    /** {@code le="..."}} for each bound and {@code +Inf}. */
    final byte[][] leLabels;
    /**
     * Whether native buckets are exported ({@link HistogramMode#nativeBuckets()}), mapped from the HDR buckets
     * through {@link #nativeMapping()} with at most {@link #nativeMaxBuckets}.
     */
    final boolean nativeBuckets;
    /** The family's most native buckets (0: no limit); see {@code PrometheusCollector.Builder}. */
    final int nativeMaxBuckets;
    private final PrometheusCollector.NativeSettings nativeSettings;
    private final PrometheusCollector collector;
    /** Made on first use: text-only scrapes never need it. */
    private volatile ExponentialBucketMapping nativeMapping;
    final SlidingWindowSummary summary;
    final byte[] textHeader;
    final byte[] openMetricsHeader;
    /** The header of the separate {@code _created} gauge family of the text format (counters and distributions). */
    final byte[] textCreatedHeader;
    /** The name of gauge samples and summary quantiles. */
    final byte[] name;
    final byte[] total;
    final byte[] bucket;
    final byte[] count;
    final byte[] sum;
    final byte[] created;

    private FamilyPlan(String skipReason, RuntimeException skipCause) {
        this.prometheusName = null;
        this.metadata = null;
        this.skipReason = skipReason;
        this.skipCause = skipCause;
        this.kind = -1;
        this.type = null;
        this.scale = 1;
        this.classic = false;
        this.bounds = null;
        this.leBounds = null;
        this.limits = null;
        this.storedClassic = false;
        this.leLabels = null;
        this.nativeBuckets = false;
        this.nativeMaxBuckets = 0;
        this.nativeSettings = null;
        this.collector = null;
        this.summary = null;
        this.textHeader = null;
        this.openMetricsHeader = null;
        this.textCreatedHeader = null;
        this.name = null;
        this.total = null;
        this.bucket = null;
        this.count = null;
        this.sum = null;
        this.created = null;
    }

    FamilyPlan(FamilyDescriptor family, MetricMetadata metadata, PrometheusCollector collector) {
        String exported = metadata.getName();
        this.prometheusName = metadata.getPrometheusName();
        this.metadata = metadata;
        this.skipReason = null;
        this.skipCause = null;
        this.summary = family.type().isDistribution() ? collector.summary(family.name()) : null;
        this.kind = family.type() == MetricType.COUNTER ? COUNTER : family.type() == MetricType.GAUGE ? GAUGE
                : summary != null ? SUMMARY : HISTOGRAM;
        this.scale = PrometheusCollector.scale(family.type());
        HistogramMode mode = collector.histogramMode(family.name());
        this.classic = kind == HISTOGRAM && mode.classic();
        this.bounds = classic ? collector.classicBounds(family.name(), family.classicUpperBounds()) : new double[0];
        this.limits = ClassicBucketMapping.indexLimits(collector.engine().histogramLayout(), bounds, scale);
        this.storedClassic = kind == HISTOGRAM
                && (bounds.length == 0 || family.classicBuckets().hasUpperBounds(bounds));
        this.leBounds = new double[bounds.length + 1];
        System.arraycopy(bounds, 0, leBounds, 0, bounds.length);
        leBounds[bounds.length] = Double.POSITIVE_INFINITY;
        this.leLabels = extraLabels("le", leBounds);
        this.nativeBuckets = kind == HISTOGRAM && mode.nativeBuckets();
        this.nativeSettings = collector.nativeSettings(family.name());
        this.nativeMaxBuckets = nativeSettings.maxBuckets;
        this.collector = collector;
        this.type = family.type();
        String type = kind == COUNTER ? "counter" : kind == GAUGE ? "gauge" : kind == SUMMARY ? "summary" : "histogram";
        String help = metadata.getHelp() == null ? "" : metadata.getHelp();
        String textName = kind == COUNTER ? exported + "_total" : exported;
        this.textHeader = utf8(helpLine(textName, help, false) + "# TYPE " + textName + " " + type + "\n");
        String unit = metadata.getUnit() == null ? "" : "# UNIT " + exported + " " + metadata.getUnit() + "\n";
        this.openMetricsHeader = utf8("# TYPE " + exported + " " + type + "\n" + unit + helpLine(exported, help, true));
        this.textCreatedHeader = utf8(helpLine(exported + "_created", help, false)
                + "# TYPE " + exported + "_created gauge\n");
        this.name = utf8(exported);
        this.total = utf8(exported + "_total");
        this.bucket = utf8(exported + "_bucket");
        this.count = utf8(exported + "_count");
        this.sum = utf8(exported + "_sum");
        this.created = utf8(exported + "_created");
    }

    /** The plan of a family that scrapes leave out, for {@link PrometheusCollector#skip} on every scrape. */
    static FamilyPlan skipped(String reason, RuntimeException cause) {
        return new FamilyPlan(reason, cause);
    }

    boolean isSkipped() {
        return prometheusName == null;
    }

    /** The family's native bucket mapping (shared by families of the same unit and settings). */
    ExponentialBucketMapping nativeMapping() {
        ExponentialBucketMapping mapping = nativeMapping;
        if (mapping == null) {
            mapping = collector.nativeMapping(type, nativeSettings);
            nativeMapping = mapping;
        }
        return mapping;
    }

    /**
     * A series' labels as written before the value, without the closing brace so that {@code le} or
     * {@code quantile} can follow: {@code {a="x",b="y"} sorted by name as client_java sorts them, the overflow
     * series with {@code otel_metric_overflow="true"}; empty for a series without labels. Values are escaped as in
     * both text formats (backslash, quote, newline).
     */
    static byte[] seriesLabels(FamilyDescriptor family, SeriesDescriptor series) {
        TreeMap<String, String> labels = new TreeMap<>();
        List<String> names = family.labelNames();
        for (int i = 0; i < names.size(); i++) {
            labels.put(names.get(i), series.labelValues().get(i));
        }
        if (series.isOverflow()) {
            labels.put(NameRules.OVERFLOW_LABEL, "true");
        }
        if (labels.isEmpty()) {
            return new byte[0];
        }
        StringBuilder block = new StringBuilder();
        for (Map.Entry<String, String> label : labels.entrySet()) {
            block.append(block.length() == 0 ? '{' : ',').append(label.getKey()).append("=\"");
            String value = label.getValue();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\\' || c == '"') {
                    block.append('\\').append(c);
                } else if (c == '\n') {
                    block.append("\\n");
                } else {
                    block.append(c);
                }
            }
            block.append('"');
        }
        return utf8(block.toString());
    }

    /** {@code # HELP} as client_java writes it: text 0.0.4 escapes backslash and newline, OpenMetrics also quotes. */
    private static String helpLine(String name, String help, boolean openMetrics) {
        if (help.isEmpty()) {
            return "";
        }
        StringBuilder line = new StringBuilder("# HELP ").append(name).append(' ');
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            if (c == '\\') {
                line.append("\\\\");
            } else if (c == '\n') {
                line.append("\\n");
            } else if (c == '"' && openMetrics) {
                line.append("\\\"");
            } else {
                line.append(c);
            }
        }
        return line.append('\n').toString();
    }

    private static byte[][] extraLabels(String label, double[] values) {
        byte[][] labels = new byte[values.length][];
        byte[] number = new byte[DoubleFormat.MAX_LENGTH];
        for (int i = 0; i < values.length; i++) {
            int length = DoubleFormat.write(values[i], number, 0);
            labels[i] = utf8(label + "=\"" + new String(number, 0, length, StandardCharsets.US_ASCII) + "\"}");
        }
        return labels;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
