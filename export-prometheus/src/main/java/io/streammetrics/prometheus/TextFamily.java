package io.streammetrics.prometheus;

import io.streammetrics.internal.text.DoubleFormat;

import java.nio.charset.StandardCharsets;

/**
 * What the text writer writes of one family that never changes, encoded once as UTF-8 from its {@link FamilyPlan}
 * (see {@link TextEncodings}): the {@code # HELP}/{@code # TYPE}/{@code # UNIT} lines of both text formats, as
 * client_java's writers write them, the sample names with their suffixes and the {@code le} labels.
 */
final class TextFamily {
    /** {@code quantile="..."}} for {@link SlidingWindowSummary#QUANTILES}, in that order. */
    static final byte[][] QUANTILE_LABELS = extraLabels("quantile", SlidingWindowSummary.QUANTILES);
    private static final byte[][] NO_LABELS = new byte[0][];

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
    /** {@code le="..."}} for each classic bound and {@code +Inf} of a histogram; empty for other kinds. */
    final byte[][] leLabels;

    TextFamily(FamilyPlan plan) {
        String exported = plan.name;
        String type = plan.kind.typeName();
        String help = plan.help == null ? "" : plan.help;
        String textName = plan.kind == FamilyPlan.Kind.COUNTER ? exported + "_total" : exported;
        this.textHeader = utf8(helpLine(textName, help, false) + "# TYPE " + textName + " " + type + "\n");
        String unit = plan.unit == null ? "" : "# UNIT " + exported + " " + plan.unit + "\n";
        this.openMetricsHeader = utf8("# TYPE " + exported + " " + type + "\n" + unit + helpLine(exported, help, true));
        this.textCreatedHeader = utf8(helpLine(exported + "_created", help, false)
                + "# TYPE " + exported + "_created gauge\n");
        this.name = utf8(exported);
        this.total = utf8(exported + "_total");
        this.bucket = utf8(exported + "_bucket");
        this.count = utf8(exported + "_count");
        this.sum = utf8(exported + "_sum");
        this.created = utf8(exported + "_created");
        this.leLabels = plan.kind == FamilyPlan.Kind.HISTOGRAM
                ? extraLabels("le", ((FamilyPlan.Histogram) plan).leBounds) : NO_LABELS;
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
