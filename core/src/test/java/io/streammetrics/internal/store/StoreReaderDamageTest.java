package io.streammetrics.internal.store;

import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.CounterFamily;
import io.streammetrics.metric.Histogram;
import io.streammetrics.metric.Timer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static io.streammetrics.internal.store.StoreLayout.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link StoreReader} on damaged store files (issue 15, item 6): whatever is truncated or overwritten, the reader
 * either reads the file or throws one {@link StoreFormatException} naming it, never an
 * {@code IndexOutOfBoundsException}, an {@code OutOfMemoryError} or garbage from outside the file. A fuzz run over
 * many seeds, and the damage the issue found by hand.
 */
class StoreReaderDamageTest {
    private static final int SEEDS = 600;

    @TempDir
    static Path dir;
    private static byte[] intact;
    /** Bytes of the file the store's records actually use (the rest of the last segment is zeros). */
    private static int used;

    @BeforeAll
    static void writeAStore() throws Exception {
        Path file = dir.resolve("intact.store");
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).storeFile(file)
                .backPressure(BackPressure.BLOCK).build().start()) {
            CounterFamily counters = engine.counter("events_total").help("Events.").labelNames("kind", "shard")
                    .register();
            for (int i = 0; i < 40; i++) {
                counters.labels("k" + i % 4, "s" + i).add(i + 1);
            }
            engine.gauge("queue_size").register().labels().set(12.5);
            Histogram sizes = engine.histogram("record_bytes").labelNames("stage").register().labels("parse");
            Timer latency = engine.timer("latency").labelNames("stage").register().labels("emit");
            for (int i = 0; i < 5_000; i++) {
                sizes.record(100 + i % 900);
                latency.record(1_000L * (1 + i % 3_000));
            }
        }
        intact = Files.readAllBytes(file);
        used = intact.length;
        while (used > 0 && intact[used - 1] == 0) {
            used--;
        }
        // The intact file reads, with every series.
        String output = read(intact);
        assertTrue(output.contains("queue_size 12.5") && output.contains("events{kind=\"k3\",shard=\"s39\"} 40.0"),
                output);
    }

    /** Opens {@code bytes} as a store file and prints every series; returns the output. */
    private static String read(byte[] bytes) throws Exception {
        Path file = Files.createTempFile(dir, "damaged", ".store");
        Files.write(file, bytes);
        try (StoreReader reader = StoreReader.open(file.toFile())) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            StoreReader.print(reader, new PrintStream(out, true, StandardCharsets.UTF_8));
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            Files.delete(file);
        }
    }

    /** Reads {@code bytes}, which must either read or fail with one clear StoreFormatException. */
    private static void readOrClearError(byte[] bytes, String what) {
        try {
            read(bytes);
        } catch (StoreFormatException e) {
            assertTrue(e.getMessage().contains("damaged") || e.getMessage().contains("not a streammetrics store")
                    || e.getMessage().contains("layout version"), what + ": unclear message " + e.getMessage());
        } catch (Throwable e) {
            fail(what + ": " + e, e);
        }
    }

    private static StoreFormatException damagedError(byte[] bytes) {
        return assertThrows(StoreFormatException.class, () -> read(bytes));
    }

    private static byte[] withInt(int offset, int value) {
        byte[] copy = intact.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder()).putInt(offset, value);
        return copy;
    }

    private static byte[] withLong(int offset, long value) {
        byte[] copy = intact.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder()).putLong(offset, value);
        return copy;
    }

    @Test
    void manySeedsOfTruncationsAndOverwritesReadOrFailClearly() {
        int[] boundaries = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 100_000_000, 4096, 65536};
        for (int seed = 0; seed < SEEDS; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            byte[] bytes;
            String what;
            switch (seed % 4) {
                case 0: {
                    int length = random.nextInt(intact.length);
                    bytes = Arrays.copyOf(intact, length);
                    what = "seed " + seed + ": truncated to " + length + " bytes";
                    break;
                }
                case 1: {
                    int offset = 4 * random.nextInt(FAMILY_DIRECTORY_OFFSET / 4);
                    int value = random.nextBoolean() ? boundaries[random.nextInt(boundaries.length)] : random.nextInt();
                    bytes = withInt(offset, value);
                    what = "seed " + seed + ": header int at " + offset + " set to " + value;
                    break;
                }
                case 2: {
                    int offset = 8 * random.nextInt(used / 8);
                    long value = random.nextBoolean() ? boundaries[random.nextInt(boundaries.length)] : random.nextLong();
                    bytes = withLong(offset, value);
                    what = "seed " + seed + ": long at " + offset + " set to " + value;
                    break;
                }
                default: {
                    bytes = intact.clone();
                    int flips = 1 + random.nextInt(16);
                    StringBuilder where = new StringBuilder();
                    for (int i = 0; i < flips; i++) {
                        int at = random.nextInt(used);
                        bytes[at] ^= (byte) (1 + random.nextInt(255));
                        where.append(' ').append(at);
                    }
                    what = "seed " + seed + ": bytes flipped at" + where;
                    break;
                }
            }
            readOrClearError(bytes, what);
        }
    }

    @Test
    void theDamageFoundByHandGetsOneClearError() {
        // The cases: a series count of Integer.MAX_VALUE, a label count of 1e8, directory capacities <= 0,
        // and truncations. Each is a StoreFormatException, not an OutOfMemoryError or garbage.
        assertTrue(damagedError(withInt(SERIES_COUNT_OFFSET, Integer.MAX_VALUE)).getMessage().contains("series count"));
        assertTrue(damagedError(withInt(FAMILY_COUNT_OFFSET, -1)).getMessage().contains("family count"));
        assertTrue(damagedError(withInt(MAX_FAMILIES_OFFSET, 0)).getMessage().contains("directories"));
        assertTrue(damagedError(withInt(MAX_FAMILIES_OFFSET, -5)).getMessage().contains("directories"));
        assertTrue(damagedError(withInt(SERIES_CHUNKS_OFFSET, -1)).getMessage().contains("directories"));
        assertTrue(damagedError(withInt(SEGMENT_COUNT_OFFSET, 1_000)).getMessage().contains("segments in use"));
        assertTrue(damagedError(withInt(SEGMENT_SIZE_OFFSET, 12_345)).getMessage().contains("segment size"));
        assertTrue(damagedError(Arrays.copyOf(intact, intact.length - 1)).getMessage().contains("segments in use"));
        assertTrue(damagedError(Arrays.copyOf(intact, 100)).getMessage().contains("shorter than a store header"));
        assertTrue(damagedError(withInt(VERSION_OFFSET, 2)).getMessage().contains("layout version 2"));

        // The first series' label values record: its count set to 100,000,000.
        ByteBuffer header = ByteBuffer.wrap(intact).order(ByteOrder.nativeOrder());
        int maxFamilies = header.getInt(MAX_FAMILIES_OFFSET);
        long chunk = header.getLong(FAMILY_DIRECTORY_OFFSET + 8 * maxFamilies);
        long labels = header.getLong((int) chunk + SERIES_LABELS_OFFSET);
        assertTrue(damagedError(withInt((int) labels, 100_000_000)).getMessage().contains("label values"));
        // The first family's label count.
        long family = header.getLong(FAMILY_DIRECTORY_OFFSET);
        assertTrue(damagedError(withInt((int) family + FAMILY_LABEL_COUNT_OFFSET, 100_000_000)).getMessage()
                .contains("label names"));
        // A chunk offset beyond the file.
        assertTrue(damagedError(withLong(FAMILY_DIRECTORY_OFFSET + 8 * maxFamilies, 1L << 40)).getMessage()
                .contains("outside"));
    }

    @Test
    void aHistogramWhoseCountsDoNotAddUpIsDamaged() {
        // Find the first histogram header through the series slots: its total count no longer matches its buckets.
        ByteBuffer header = ByteBuffer.wrap(intact).order(ByteOrder.nativeOrder());
        int maxFamilies = header.getInt(MAX_FAMILIES_OFFSET);
        int chunk = (int) header.getLong(FAMILY_DIRECTORY_OFFSET + 8 * maxFamilies);
        int series = header.getInt(SERIES_COUNT_OFFSET);
        for (int id = 0; id < series; id++) {
            long histogram = header.getLong(chunk + id * SERIES_SLOT_LENGTH + SERIES_HISTOGRAM_OFFSET);
            if (histogram != 0) {
                int at = (int) histogram + HISTOGRAM_COUNT_FIELD_OFFSET;
                StoreFormatException e = damagedError(withLong(at, header.getLong(at) + 1));
                assertTrue(e.getMessage().contains("buckets adding up to"), e.getMessage());
                return;
            }
        }
        fail("no histogram in the store");
    }
}
