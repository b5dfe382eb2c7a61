package io.streammetrics.alert.config;

import io.streammetrics.alert.expr.ExprParser;
import io.streammetrics.common.Durations;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One YAML mapping of a rule file with the line of every value, so that each problem is reported where it is
 * written. Unknown keys are errors: a misspelt {@code for} must not silently mean "fire at once".
 */
final class YamlMap {
    private final Path file;
    private final Node node;
    private final String what;
    private final Map<String, Node> values = new LinkedHashMap<>();

    YamlMap(Path file, Node node, String what) {
        this.file = file;
        this.node = node;
        this.what = what;
        if (!(node instanceof MappingNode mapping)) {
            throw fail(node, what + " must be a mapping");
        }
        Map<String, Node> keys = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = scalar(tuple.getKeyNode(), "key");
            Node first = keys.putIfAbsent(key, tuple.getKeyNode());
            if (first != null) {
                // YAML forbids it and a silent "last wins" hides a half-edited rule
                throw fail(tuple.getKeyNode(), "duplicate key '" + key + "' in " + what + " (first at line "
                        + lineOf(first) + ")");
            }
            values.put(key, tuple.getValueNode());
        }
    }

    /**
     * The scalar at {@code key} of a mapping node, or null: a rule's name, read before the rule's mapping is checked so
     * that every error of the rule, a duplicate key included, can name it.
     */
    static String peek(Node node, String key) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode name && name.getValue().equals(key)
                        && tuple.getValueNode() instanceof ScalarNode value) {
                    return value.getValue();
                }
            }
        }
        return null;
    }

    /** Fails on any key outside {@code allowed}. */
    YamlMap allow(Set<String> allowed) {
        for (Map.Entry<String, Node> entry : values.entrySet()) {
            if (!allowed.contains(entry.getKey())) {
                throw fail(entry.getValue(), "unknown field '" + entry.getKey() + "' in " + what + " (allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
        return this;
    }

    /** How messages name this mapping, such as {@code 'anomaly' of rule 'A'}. */
    String what() {
        return what;
    }

    /** The keys, in file order. */
    Set<String> keys() {
        return values.keySet();
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    String string(String key) {
        Node value = values.get(key);
        if (value == null) {
            throw fail(node, what + " needs '" + key + "'");
        }
        return scalar(value, key);
    }

    String string(String key, String fallback) {
        return has(key) ? string(key) : fallback;
    }

    double number(String key, double fallback) {
        if (!has(key)) {
            return fallback;
        }
        String text = string(key).trim();
        try {
            return text.endsWith("%") ? ExprParser.number(text.substring(0, text.length() - 1)) / 100
                    : ExprParser.number(text);
        } catch (IllegalArgumentException e) {
            throw failAt(key, "'" + key + "' of " + what + ": " + e.getMessage());
        }
    }

    int integer(String key, int fallback) {
        double value = number(key, fallback);
        if (value != Math.rint(value)) {
            throw failAt(key, "'" + key + "' must be a whole number, got " + value);
        }
        return (int) value;
    }

    boolean bool(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        String text = string(key);
        if (!text.equals("true") && !text.equals("false")) {
            throw failAt(key, "'" + key + "' must be true or false, got '" + text + "'");
        }
        return Boolean.parseBoolean(text);
    }

    Duration duration(String key, Duration fallback) {
        if (!has(key)) {
            return fallback;
        }
        return parse(key, Durations::parse);
    }

    /** A number that must be there: its absence is named, not reported as the number NaN. */
    double requiredNumber(String key) {
        if (!has(key)) {
            throw fail(what + " needs '" + key + "'");
        }
        return number(key, Double.NaN);
    }

    /** A duration that must be there and be longer than zero. */
    Duration positiveDuration(String key) {
        Duration duration = parse(key, Durations::parse);
        if (duration.isZero()) {
            throw invalid(key, "must be longer than 0s, got '" + string(key) + "'");
        }
        return duration;
    }

    /** A value that parsed but is out of range: {@code 'key' of what <problem>}, at the value's line. */
    RuleFileException invalid(String key, String problem) {
        return failAt(key, "'" + key + "' of " + what + " " + problem);
    }

    YamlMap map(String key) {
        Node value = values.get(key);
        if (value == null) {
            throw fail(node, what + " needs '" + key + "'");
        }
        return new YamlMap(file, value, "'" + key + "' of " + what);
    }

    Map<String, String> stringMap(String key) {
        Map<String, String> result = new LinkedHashMap<>();
        if (has(key)) {
            YamlMap map = map(key);
            for (String name : map.values.keySet()) {
                result.put(name, map.string(name));
            }
        }
        return result;
    }

    List<Node> list(String key) {
        Node value = values.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof SequenceNode sequence)) {
            throw fail(value, "'" + key + "' of " + what + " must be a list");
        }
        return sequence.getValue();
    }

    List<String> stringList(String key) {
        List<String> result = new ArrayList<>();
        for (Node item : list(key)) {
            result.add(scalar(item, key));
        }
        return result;
    }

    /** Applies a parser to a value; its {@link IllegalArgumentException} is reported at the value's line. */
    <T> T parse(String key, java.util.function.Function<String, T> parser) {
        String text = string(key);
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw failAt(key, "'" + key + "' of " + what + ": " + e.getMessage());
        }
    }

    /** A mapping nested in this one (a list item), reported in the same file. */
    YamlMap item(Node item, String itemWhat) {
        return new YamlMap(file, item, itemWhat);
    }

    /** A problem with the mapping as a whole, at its first line. */
    RuleFileException fail(String problem) {
        return fail(node, problem);
    }

    /** A problem with one value, at its line. */
    RuleFileException failAt(String key, String problem) {
        return fail(values.getOrDefault(key, node), problem);
    }

    RuleFileException fail(Node at, String problem) {
        return new RuleFileException(file, lineOf(at), problem, null);
    }

    private String scalar(Node value, String key) {
        if (!(value instanceof ScalarNode scalar)) {
            throw fail(value, "'" + key + "' of " + what + " must be a single value");
        }
        return scalar.getValue();
    }

    static int lineOf(Node node) {
        return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
    }
}
