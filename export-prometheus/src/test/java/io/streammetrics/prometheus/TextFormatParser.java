package io.streammetrics.prometheus;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Just enough of the Prometheus text formats to read back samples and metadata, unescaping label values. */
final class TextFormatParser {
    private TextFormatParser() {
    }

    static Map<String, String> labels(String line) {
        Map<String, String> labels = new LinkedHashMap<>();
        parseLabels(line, labels);
        return labels;
    }

    /**
     * Every sample of an exposition, keyed by its name and its labels sorted by name ({@code name{a=x, b=y}}), with
     * its value as Prometheus parses it ({@code +Inf}, {@code -Inf}, {@code NaN} included). Fails on a sample that
     * appears twice or a line that is not a sample, a comment or {@code # EOF}.
     */
    static Map<String, Double> samples(String exposition) {
        Map<String, Double> samples = new TreeMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int nameEnd = 0;
            while (nameEnd < line.length() && line.charAt(nameEnd) != '{' && line.charAt(nameEnd) != ' ') {
                nameEnd++;
            }
            Map<String, String> labels = new TreeMap<>();
            int valueStart = line.charAt(nameEnd) == '{' ? parseLabels(line, labels) : nameEnd;
            String key = line.substring(0, nameEnd) + labels;
            String value = line.substring(valueStart).trim();
            if (samples.put(key, value(value)) != null) {
                throw new IllegalArgumentException("sample appears twice: " + key);
            }
        }
        return samples;
    }

    /** The metadata lines ({@code # HELP}, {@code # TYPE}, {@code # UNIT}, {@code # EOF}) of an exposition. */
    static Set<String> metadata(String exposition) {
        Set<String> lines = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#") && !lines.add(line)) {
                throw new IllegalArgumentException("metadata line appears twice: " + line);
            }
        }
        return lines;
    }

    private static double value(String text) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                // Prometheus parses with Go's ParseFloat, correctly rounded like parseDouble.
                return Double.parseDouble(text);
        }
    }

    /** Reads the label set starting at the line's {@code '{'} into {@code labels}; returns the index after '}'. */
    private static int parseLabels(String line, Map<String, String> labels) {
        int i = line.indexOf('{');
        if (i < 0) {
            return 0;
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
            if (labels.put(name, value.toString()) != null) {
                throw new IllegalArgumentException("label " + name + " appears twice in " + line);
            }
            if (line.charAt(i) == ',') {
                i++;
            }
        }
        return i + 1;
    }
}
