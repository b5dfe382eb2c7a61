package io.streammetrics.jvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Linux's {@code /proc/self/status}, where client_java also reads the resident and virtual memory size: the JMX beans
 * have neither.
 */
final class ProcStatus {
    static final ProcStatus SELF = new ProcStatus(Path.of("/proc/self/status"));

    /** The file's lines, read once per snapshot for the two fields exported from it; empty when unreadable. */
    private final ThrottledReading<List<String>> lines;

    ProcStatus(Path file) {
        this.lines = ThrottledReading.every(ThrottledReading.ONE_SNAPSHOT_NANOS, () -> {
            try {
                return Files.readAllLines(file);
            } catch (IOException | SecurityException e) {
                return List.of();
            }
        });
    }

    /** Whether the file exists and has the fields read here. */
    boolean isReadable() {
        return !Double.isNaN(bytes("VmRSS:"));
    }

    /** A {@code kB} field such as {@code VmRSS:} in bytes, or NaN when the file or the field is missing. */
    double bytes(String field) {
        for (String line : lines.get()) {
            if (line.startsWith(field)) {
                String[] parts = line.substring(field.length()).trim().split("\\s+");
                try {
                    return Long.parseLong(parts[0]) * 1024.0;
                } catch (NumberFormatException e) {
                    return Double.NaN;
                }
            }
        }
        return Double.NaN;
    }
}
