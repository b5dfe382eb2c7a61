package io.streammetrics.influx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test-side line-protocol reader written from InfluxDB's syntax description (independent of the encoder): splits
 * on unescaped separators and unescapes {@code \,}, {@code \ }, {@code \=}. Field values keep their text
 * ({@code 3i}, {@code 1.5}).
 */
final class Lines {
    record Line(String measurement, Map<String, String> tags, Map<String, String> fields, long timestamp) {
        double number(String field) {
            String text = fields.get(field);
            if (text == null) {
                throw new AssertionError("no field " + field + " in " + this);
            }
            return Double.parseDouble(text.endsWith("i") ? text.substring(0, text.length() - 1) : text);
        }
    }

    private Lines() {
    }

    static List<Line> parse(String text) {
        List<Line> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                lines.add(parseLine(line));
            }
        }
        return lines;
    }

    /** The one line of {@code measurement} whose tags include the given pairs (name, value, ...). */
    static Line find(List<Line> lines, String measurement, String... tags) {
        Line found = null;
        for (Line line : lines) {
            boolean match = line.measurement().equals(measurement);
            for (int i = 0; match && i < tags.length; i += 2) {
                match = tags[i + 1].equals(line.tags().get(tags[i]));
            }
            if (match) {
                if (found != null) {
                    throw new AssertionError("two lines match " + measurement + " " + List.of(tags));
                }
                found = line;
            }
        }
        if (found == null) {
            throw new AssertionError("no line " + measurement + " " + List.of(tags) + " in " + lines);
        }
        return found;
    }

    private static Line parseLine(String line) {
        List<String> parts = split(line, ' ');
        if (parts.size() != 3) {
            throw new AssertionError("not measurement+tags, fields, timestamp: " + line);
        }
        List<String> key = split(parts.get(0), ',');
        Map<String, String> tags = new LinkedHashMap<>();
        for (String tag : key.subList(1, key.size())) {
            List<String> kv = split(tag, '=');
            tags.put(unescape(kv.get(0)), unescape(kv.get(1)));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : split(parts.get(1), ',')) {
            List<String> kv = split(field, '=');
            if (kv.size() != 2) {
                throw new AssertionError("bad field " + field + " in " + line);
            }
            fields.put(unescape(kv.get(0)), kv.get(1));
        }
        return new Line(unescape(key.get(0)), tags, fields, Long.parseLong(parts.get(2)));
    }

    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                current.append(c).append(text.charAt(++i));
            } else if (c == separator) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && ",= \\".indexOf(text.charAt(i + 1)) >= 0) {
                out.append(text.charAt(++i));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
