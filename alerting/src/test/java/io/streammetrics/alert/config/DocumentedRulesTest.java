package io.streammetrics.alert.config;

import io.streammetrics.alert.rule.RuleGroup;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 18 item 1: every rule file the documentation shows loads, so the docs cannot drift from the parser. The
 * blocks are read from the sources themselves: each {@code ```yaml} block of README.md with a {@code groups:} key,
 * and each {@code <pre>{@code ...}</pre>} Javadoc block with one in the main sources of every module.
 */
class DocumentedRulesTest {
    private static final Pattern README_BLOCK = Pattern.compile("(?ms)^```yaml\\n(.*?)^```");
    private static final Pattern JAVADOC_BLOCK = Pattern.compile("(?s)<pre>\\{@code\\n(.*?)}</pre>");
    private static final Pattern RULE_FILE = Pattern.compile("(?m)^groups:");

    /** A documented rule file: where it is written and its text. */
    private record Block(String where, String yaml) {
    }

    private static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.exists(dir.resolve("README.md")) && Files.exists(dir.resolve("core")))) {
            dir = dir.getParent();
        }
        assertTrue(dir != null, "the repository root (README.md next to core/) above " + Path.of("").toAbsolutePath());
        return dir;
    }

    private static int lineAt(String text, int offset) {
        return (int) text.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
    }

    static List<Block> readmeBlocks() throws IOException {
        String readme = Files.readString(root().resolve("README.md"));
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = README_BLOCK.matcher(readme);
        while (matcher.find()) {
            if (RULE_FILE.matcher(matcher.group(1)).find()) {
                blocks.add(new Block("README.md:" + (lineAt(readme, matcher.start(1))), matcher.group(1)));
            }
        }
        return blocks;
    }

    static List<Block> javadocBlocks() throws IOException {
        Path root = root();
        List<Block> blocks = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")
                    && f.toString().contains("src" + f.getFileSystem().getSeparator() + "main")).toList()) {
                String source = Files.readString(file);
                Matcher matcher = JAVADOC_BLOCK.matcher(source);
                while (matcher.find()) {
                    String yaml = matcher.group(1).replaceAll("(?m)^\\s*\\* ?", "");
                    if (RULE_FILE.matcher(yaml).find()) {
                        blocks.add(new Block(root.relativize(file) + ":" + lineAt(source, matcher.start(1)), yaml));
                    }
                }
            }
        }
        return blocks;
    }

    private static void assertAllLoad(List<Block> blocks) {
        List<String> failures = new ArrayList<>();
        for (Block block : blocks) {
            try {
                List<RuleGroup> groups = RuleFile.parse(Path.of(block.where()), block.yaml());
                assertFalse(groups.isEmpty() || groups.get(0).rules().isEmpty(), block.where() + " has no rules");
            } catch (RuleFileException e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            fail("documented rule files that do not load:\n" + String.join("\n", failures));
        }
    }

    @Test
    void everyRuleFileInTheReadmeLoads() throws IOException {
        List<Block> blocks = readmeBlocks();
        assertFalse(blocks.isEmpty(), "README.md shows no rule file");
        assertAllLoad(blocks);
    }

    @Test
    void everyRuleFileInTheJavadocLoads() throws IOException {
        List<Block> blocks = javadocBlocks();
        assertTrue(blocks.stream().anyMatch(b -> b.where().contains("RuleFile.java")), () -> "found only " + blocks);
        assertAllLoad(blocks);
    }

    /** The mistake the examples made: an unquoted expression in a flow mapping; the error says what to do. */
    @Test
    void anUnquotedExpressionInAFlowMappingSaysToQuoteIt() {
        RuleFileException e = org.junit.jupiter.api.Assertions.assertThrows(RuleFileException.class,
                () -> RuleFile.parse(Path.of("rules.yaml"), """
                        groups:
                          - name: g
                            rules:
                              - alert: A
                                anomaly: {expr: sum(rate(x_total[1m])), baseline: 300}
                        """));
        assertTrue(e.getMessage().startsWith("rules.yaml:5: invalid YAML: expected ',' or '}'"), e.getMessage());
        assertTrue(e.getMessage().contains("quote"), e.getMessage());
        assertTrue(e.getMessage().contains("expr: 'sum(rate(x[1m]))'"), e.getMessage());
    }
}
