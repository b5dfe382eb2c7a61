package io.streammetrics.alert.config;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads rule file YAML within bounds, so that a hostile or broken file is a {@link RuleFileException} naming the file
 * and line, never a {@link StackOverflowError} or an exhausted heap: at most {@link #MAX_BYTES} bytes, collections
 * nested at most {@link #MAX_DEPTH} deep (a real rule file needs 9), at most {@link #MAX_ALIASES} aliases of
 * collections.
 *
 * <p>SnakeYAML Engine's composer recurses once per nesting level and has no depth setting of its own, so the depth is
 * checked first on the parser's event stream, which is iterative.
 */
final class BoundedYaml {
    /** The largest rule file read, in bytes (also the code point limit of the YAML reader). */
    static final int MAX_BYTES = 4 * 1024 * 1024;
    /** The deepest nesting of mappings and sequences accepted. */
    static final int MAX_DEPTH = 32;
    /** The most aliases of mappings or sequences accepted (rule files rarely need any). */
    static final int MAX_ALIASES = 20;

    private BoundedYaml() {
    }

    /** The text of a rule file, refused before it is read when it is larger than {@link #MAX_BYTES}. */
    static String read(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new RuleFileException(file, 0, "rule file is larger than " + MAX_BYTES / (1024 * 1024)
                        + " MiB (" + size + " bytes)", null);
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RuleFileException(file, 0, "cannot read rule file: " + e, e);
        }
    }

    /**
     * The document's root node.
     *
     * @throws RuleFileException for empty, invalid or too deeply nested YAML, naming the line
     */
    static Node compose(Path file, String text) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file.toString())
                .setCodePointLimit(MAX_BYTES)
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setAllowRecursiveKeys(false)
                .build();
        // Duplicate keys: SnakeYAML checks them only when it constructs Java objects, and rule files are composed to
        // nodes (to keep every value's line), so YamlMap refuses them, naming both lines.
        try {
            checkDepth(file, new Parse(settings).parseString(text));
            return new Compose(settings).composeString(text)
                    .orElseThrow(() -> new RuleFileException(file, 0, "rule file is empty", null));
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(mark -> mark.getLine() + 1).orElse(0);
            throw new RuleFileException(file, line, "invalid YAML: " + e.getProblem() + hint(e.getProblem()), e);
        } catch (YamlEngineException e) {
            throw new RuleFileException(file, 0, "invalid YAML: " + e.getMessage(), e);
        }
    }

    private static void checkDepth(Path file, Iterable<Event> events) {
        int depth = 0;
        for (Event event : events) {
            switch (event.getEventId()) {
                case MappingStart, SequenceStart -> {
                    if (++depth > MAX_DEPTH) {
                        int line = event.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
                        throw new RuleFileException(file, line, "YAML nested deeper than " + MAX_DEPTH
                                + " levels (a rule file needs fewer than 10)", null);
                    }
                }
                case MappingEnd, SequenceEnd -> depth--;
                default -> {
                }
            }
        }
    }

    /**
     * What to do about the parser's most common complaint on rule files: an expression such as
     * {@code sum(rate(x[1m]))} written unquoted inside a {@code {...}} flow mapping, where {@code [}, {@code ]},
     * {@code ,} and {@code {}} are YAML syntax.
     */
    private static String hint(String problem) {
        if (problem != null && (problem.contains("expected ',' or '}'") || problem.contains("expected ',' or ']'"))) {
            return " (inside {...} or [...], quote a value that holds brackets, braces or commas, such as an"
                    + " expression: expr: 'sum(rate(x[1m]))', or write the mapping one key a line)";
        }
        return "";
    }
}
