package io.streammetrics.prometheus;

import java.util.LinkedHashMap;
import java.util.Map;

/** Just enough of the Prometheus text format to read back the labels of one sample line, unescaping values. */
final class TextFormatParser {
    private TextFormatParser() {
    }

    static Map<String, String> labels(String line) {
        Map<String, String> labels = new LinkedHashMap<>();
        int i = line.indexOf('{');
        if (i < 0) {
            return labels;
        }
        i++;
        while (line.charAt(i) != '}') {
            int eq = line.indexOf('=', i);
            String name = line.substring(i, eq);
            i = eq + 1;
            if (line.charAt(i) != '"') {
                throw new IllegalArgumentException("expected quote at " + i + " in " + line);
            }
            i++;
            StringBuilder value = new StringBuilder();
            while (line.charAt(i) != '"') {
                char c = line.charAt(i++);
                if (c == '\\') {
                    char e = line.charAt(i++);
                    value.append(e == 'n' ? '\n' : e);
                } else {
                    value.append(c);
                }
            }
            i++;
            labels.put(name, value.toString());
            if (line.charAt(i) == ',') {
                i++;
            }
        }
        return labels;
    }
}
