package io.streammetrics.alert.config;

import java.nio.file.Path;

/**
 * A rule file that cannot be loaded: names the file, the line (1-based; 0 when the problem is not tied to one) and
 * the problem, in the form {@code rules.yaml:12: unknown field 'expresion' in rule 'HighErrorRate'}.
 */
public final class RuleFileException extends IllegalArgumentException {
    private final transient Path file;
    private final int line;
    private final String problem;

    /** An exception for {@code problem} at {@code line} of {@code file}. */
    public RuleFileException(Path file, int line, String problem, Throwable cause) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem, cause);
        this.file = file;
        this.line = line;
        this.problem = problem;
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The line, 1-based, or 0 when unknown. */
    public int line() {
        return line;
    }

    /** The problem without file and line. */
    public String problem() {
        return problem;
    }
}
