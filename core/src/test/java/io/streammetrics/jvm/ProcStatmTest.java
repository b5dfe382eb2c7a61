package io.streammetrics.jvm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The virtual and resident size from {@code statm} agree with what {@code status} says, and bad files read as NaN. */
class ProcStatmTest {
    private static final long PAGE = org.agrona.UnsafeApi.pageSize();

    @Test
    void agreesWithProcSelfStatus() throws Exception {
        Path status = Path.of("/proc/self/status");
        assumeTrue(Files.isReadable(status), "not on Linux");
        ProcStatm statm = new ProcStatm(Path.of("/proc/self/statm"));
        double virtual = statm.virtualBytes();
        double resident = statm.residentBytes();
        List<String> lines = Files.readAllLines(status);
        double vmSize = kilobytes(lines, "VmSize:") * 1024;
        double vmRss = kilobytes(lines, "VmRSS:") * 1024;
        // Read moments apart: the virtual size barely moves, the resident one a little more.
        assertEquals(vmSize, virtual, vmSize * 0.02, "virtual size");
        assertEquals(vmRss, resident, vmRss * 0.2, "resident size");
    }

    @Test
    void parsesSizeAndResidentPages(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("statm");
        Files.writeString(file, "1000 250 30 1 0 400 0\n");
        ProcStatm statm = new ProcStatm(file);
        assertTrue(statm.isReadable());
        assertEquals(1000.0 * PAGE, statm.virtualBytes());
        assertEquals(250.0 * PAGE, statm.residentBytes());
    }

    @Test
    void aMissingOrMalformedFileReadsAsNaN(@TempDir Path dir) throws Exception {
        assertFalse(new ProcStatm(dir.resolve("absent")).isReadable());
        Path malformed = dir.resolve("statm");
        Files.writeString(malformed, "not numbers\n");
        ProcStatm statm = new ProcStatm(malformed);
        assertFalse(statm.isReadable());
        assertTrue(Double.isNaN(statm.residentBytes()));
    }

    private static double kilobytes(List<String> lines, String field) {
        for (String line : lines) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
            }
        }
        throw new AssertionError(field + " missing");
    }
}
