package io.streammetrics.influx;

/**
 * InfluxDB line-protocol escaping (docs.influxdata.com, "Line protocol", special characters): commas and spaces in
 * measurements; commas, equals signs and spaces in tag keys, tag values and field keys; each preceded by a
 * backslash. A line break cannot appear inside a line at all, so a label value's {@code \n} and {@code \r} are
 * written as the two characters {@code \n} and {@code \r} (the value reads back with a backslash instead of the
 * break: stated in the README), and a backslash that would otherwise escape the next character (one at the end, or
 * before a special character) is doubled, so that it cannot swallow a separator. Applied once per family and series when their bytes are worked out, not per push.
 */
final class LineEscaper {
    private LineEscaper() {
    }

    static String measurement(String name) {
        return escape(name, false);
    }

    /** A tag key, tag value or field key. */
    static String key(String text) {
        return escape(text, true);
    }

    private static String escape(String text, boolean equalsSign) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && (i + 1 == text.length() || special(text.charAt(i + 1)))) {
                out.append("\\\\");
            } else if (c == ',' || c == ' ' || (equalsSign && c == '=')) {
                out.append('\\').append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean special(char c) {
        return c == ',' || c == ' ' || c == '=' || c == '\\';
    }
}
