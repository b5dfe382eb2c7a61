package io.streammetrics.common;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Property tests: {@link HistogramLayout} reproduces HdrHistogram's bucket layout index for index, compared only
 * through HdrHistogram's public API (its index arithmetic is package-private).
 */
class HistogramLayoutTest {
    private static final long[] LOWESTS = {1, 1000, 1024};
    private static final int VALUES_PER_LAYOUT = 4_000;
    /** Layouts up to this many buckets are walked index by index against HdrHistogram's all-values iterator. */
    private static final int FULL_WALK_LIMIT = 1 << 21;

    /** The HdrHistogram with these settings, or null if HdrHistogram rejects them. */
    private static Histogram hdrOrNull(long lowest, long highest, int digits) {
        try {
            return new Histogram(lowest, highest, digits);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static List<long[]> layoutsUnderTest() {
        List<long[]> out = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(20240611L);
        for (long lowest : LOWESTS) {
            List<Long> highs = new ArrayList<>(List.of(2 * lowest, 2 * lowest + 1, 1_000_000L, 1L << 32,
                    60_000_000_000L, 3_600_000_000_000L, Long.MAX_VALUE / 2, Long.MAX_VALUE));
            for (int i = 0; i < 3; i++) {
                // log-uniform between 2 * lowest and 2^62
                double bits = Math.log(2.0 * lowest) / Math.log(2) + random.nextDouble() * (62 - Math.log(2.0 * lowest) / Math.log(2));
                highs.add(Math.max(2 * lowest, (long) Math.pow(2, bits)));
            }
            for (long highest : highs) {
                if (highest < 2 * lowest) {
                    continue;
                }
                for (int digits = 0; digits <= 5; digits++) {
                    out.add(new long[] {lowest, highest, digits});
                }
            }
        }
        return out;
    }

    @Test
    void matchesHdrHistogramBucketForBucket() {
        long started = System.nanoTime();
        int layouts = 0;
        int skipped = 0;
        long valuesChecked = 0;
        long indexesWalked = 0;
        for (long[] spec : layoutsUnderTest()) {
            long lowest = spec[0];
            long highest = spec[1];
            int digits = (int) spec[2];
            Histogram hdr = hdrOrNull(lowest, highest, digits);
            if (hdr == null) {
                skipped++;
                assertThrows(IllegalArgumentException.class, () -> new HistogramLayout(lowest, highest, digits),
                        "HdrHistogram rejects " + lowest + ".." + highest + "/" + digits + " but the layout accepted it");
                continue;
            }
            HistogramLayout layout = new HistogramLayout(lowest, highest, digits);
            String where = layout.toString();
            layouts++;
            assertEquals(lowest, layout.lowestDiscernibleValue(), where);
            assertEquals(highest, layout.highestTrackableValue(), where);
            assertEquals(digits, layout.significantDigits(), where);

            // countsLength: HdrHistogram's footprint is 512 + 8 * counts.length for a Histogram.
            int hdrLength = (hdr.getEstimatedFootprintInBytes() - 512) / 8;
            assertEquals(hdrLength, layout.countsLength(), "countsLength of " + where);
            int top = layout.indexOf(highest);
            assertTrue(top >= 0 && top < layout.countsLength(), "indexOf(highest) = " + top + " out of " + where);
            hdr.recordValue(highest); // in range for HdrHistogram too
            assertEquals(1, hdr.getCountAtValue(layout.valueAt(top)), where);
            hdr.reset();

            if (layout.countsLength() <= FULL_WALK_LIMIT) {
                indexesWalked += walkAllIndexes(layout, hdr, where);
            } else {
                indexesWalked += sampleIndexes(layout, hdr, where, new SplittableRandom(highest ^ digits));
            }
            valuesChecked += checkRandomValues(layout, hdr, where, new SplittableRandom(lowest * 31 + highest * 7 + digits));
        }
        System.out.printf("HistogramLayoutTest: %d layouts (%d skipped as HdrHistogram rejects them), %d values, %d bucket indexes checked in %d ms%n",
                layouts, skipped, valuesChecked, indexesWalked, (System.nanoTime() - started) / 1_000_000);
        assertTrue(layouts >= 100, "too few layouts checked: " + layouts);
    }

    /** Every index, against HdrHistogram's all-values iteration (one step per counts-array index). */
    private static long walkAllIndexes(HistogramLayout layout, Histogram hdr, String where) {
        int i = 0;
        long previousHigh = -1;
        for (HistogramIterationValue v : hdr.allValues()) {
            if (i >= layout.countsLength()) {
                fail("HdrHistogram iterates more than countsLength indexes for " + where);
            }
            long high = v.getValueIteratedTo();
            long low = layout.valueAt(i);
            if (high != layout.highestValueAt(i)) {
                fail("highestValueAt(" + i + ") = " + layout.highestValueAt(i) + " but HdrHistogram says " + high + " for " + where);
            }
            if (low != hdr.lowestEquivalentValue(high)) {
                fail("valueAt(" + i + ") = " + low + " but HdrHistogram says " + hdr.lowestEquivalentValue(high) + " for " + where);
            }
            if (i > 0 && low != previousHigh + 1) {
                fail("gap or overlap before index " + i + " of " + where);
            }
            if (layout.indexOf(low) != i) {
                fail("indexOf(valueAt(" + i + ")) = " + layout.indexOf(low) + " for " + where);
            }
            if (high > 0 && layout.indexOf(high) != i) {
                fail("indexOf(highestValueAt(" + i + ")) = " + layout.indexOf(high) + " for " + where);
            }
            previousHigh = high;
            i++;
        }
        assertEquals(layout.countsLength(), i, "HdrHistogram iterated a different number of indexes for " + where);
        assertEquals(0, layout.valueAt(0), where);
        return i;
    }

    /** A sample of indexes for layouts too large to walk (checked against HdrHistogram's equivalent-value API). */
    private static long sampleIndexes(HistogramLayout layout, Histogram hdr, String where, SplittableRandom random) {
        int n = layout.countsLength();
        int checked = 0;
        for (int k = 0; k < 50_000; k++) {
            int i = k < 1000 ? k : k < 2000 ? n - 1 - (k - 1000) : random.nextInt(n);
            long low = layout.valueAt(i);
            long high = layout.highestValueAt(i);
            assertEquals(low, hdr.lowestEquivalentValue(low), "valueAt(" + i + ") of " + where);
            assertEquals(high, hdr.highestEquivalentValue(low), "highestValueAt(" + i + ") of " + where);
            assertEquals(i, layout.indexOf(low), "indexOf(valueAt(" + i + ")) of " + where);
            if (i + 1 < n) {
                assertEquals(high + 1, layout.valueAt(i + 1), "gap after index " + i + " of " + where);
            }
            checked++;
        }
        return checked;
    }

    private static long checkRandomValues(HistogramLayout layout, Histogram hdr, String where, SplittableRandom random) {
        long highest = layout.highestTrackableValue();
        List<Long> values = new ArrayList<>();
        values.add(0L);
        values.add(1L);
        values.add(highest);
        values.add(highest - 1);
        values.add(layout.lowestDiscernibleValue());
        values.add(layout.lowestDiscernibleValue() - 1);
        for (int k = 0; k < 63; k++) {
            for (long d = -1; d <= 1; d++) {
                long v = (1L << k) + d;
                if (v >= 0 && v <= highest) {
                    values.add(v);
                }
            }
        }
        double logHighest = Math.log(highest);
        while (values.size() < VALUES_PER_LAYOUT) {
            switch (random.nextInt(4)) {
                case 0:
                    values.add(random.nextLong(highest) + (random.nextBoolean() ? 1 : 0));
                    break;
                case 1:
                    values.add(Math.min(highest, (long) Math.exp(random.nextDouble() * logHighest)));
                    break;
                case 2: {
                    // around a bucket boundary
                    long b = layout.valueAt(random.nextInt(layout.countsLength()));
                    long v = b + random.nextInt(3) - 1;
                    if (v >= 0 && v <= highest) {
                        values.add(v);
                    }
                    break;
                }
                default:
                    values.add((long) random.nextInt(5000) % (highest + 1));
            }
        }
        Map<Integer, Long> expectedCounts = new HashMap<>();
        for (long v : values) {
            int index = layout.indexOf(v);
            if (index < 0 || index >= layout.countsLength()) {
                fail("indexOf(" + v + ") = " + index + " out of range for " + where);
            }
            long low = layout.valueAt(index);
            long high = layout.highestValueAt(index);
            if (low != hdr.lowestEquivalentValue(v)) {
                fail("valueAt(indexOf(" + v + ")) = " + low + " but HdrHistogram's lowestEquivalentValue is "
                        + hdr.lowestEquivalentValue(v) + " for " + where);
            }
            if (high != hdr.highestEquivalentValue(v)) {
                fail("highestValueAt(indexOf(" + v + ")) = " + high + " but HdrHistogram's highestEquivalentValue is "
                        + hdr.highestEquivalentValue(v) + " for " + where);
            }
            if (v < low || v > high) {
                fail(v + " outside its bucket " + low + ".." + high + " of " + where);
            }
            hdr.recordValue(v);
            expectedCounts.merge(index, 1L, Long::sum);
        }
        // HdrHistogram puts every value into the same bucket as the layout does.
        long total = 0;
        for (Map.Entry<Integer, Long> e : expectedCounts.entrySet()) {
            assertEquals(e.getValue(), hdr.getCountAtValue(layout.valueAt(e.getKey())),
                    "count of bucket " + e.getKey() + " of " + where);
            total += e.getValue();
        }
        assertEquals(hdr.getTotalCount(), total, where);
        hdr.reset();
        return values.size();
    }

    @Test
    void acceptsExactlyWhatHdrHistogramAccepts() {
        SplittableRandom random = new SplittableRandom(77);
        int accepted = 0;
        int rejected = 0;
        for (int n = 0; n < 3000; n++) {
            long lowest;
            switch (random.nextInt(4)) {
                case 0:
                    lowest = 1 + random.nextInt(2048);
                    break;
                case 1:
                    lowest = (long) Math.pow(2, random.nextDouble() * 63);
                    break;
                case 2:
                    lowest = (1L << random.nextInt(63)) + random.nextInt(3) - 1;
                    break;
                default:
                    lowest = random.nextLong(Long.MAX_VALUE) + 1;
            }
            long highest;
            switch (random.nextInt(3)) {
                case 0:
                    highest = lowest * 2 + random.nextInt(3) - 1; // may overflow: fine, both must reject or accept alike
                    break;
                case 1:
                    highest = random.nextLong(Long.MAX_VALUE);
                    break;
                default:
                    highest = Long.MAX_VALUE - random.nextInt(3);
            }
            int digits = random.nextInt(8) - 1;
            // Skip combos whose counts array would be too large to allocate in a test (never rejected for that reason).
            if (digits >= 4 && lowest < 16 && highest > (1L << 50)) {
                digits = 3;
            }
            Histogram hdr = hdrOrNull(lowest, highest, digits);
            boolean hdrAccepts = hdr != null;
            boolean layoutAccepts;
            try {
                new HistogramLayout(lowest, highest, digits);
                layoutAccepts = true;
            } catch (IllegalArgumentException e) {
                layoutAccepts = false;
            }
            assertEquals(hdrAccepts, layoutAccepts, "lowest=" + lowest + " highest=" + highest + " digits=" + digits);
            if (hdrAccepts) {
                accepted++;
                HistogramLayout layout = new HistogramLayout(lowest, highest, digits);
                assertEquals((hdr.getEstimatedFootprintInBytes() - 512) / 8, layout.countsLength(),
                        layout.toString());
            } else {
                rejected++;
            }
        }
        System.out.printf("HistogramLayoutTest: random parameter triples: %d accepted, %d rejected, all as HdrHistogram%n",
                accepted, rejected);
        assertTrue(accepted > 100 && rejected > 100, accepted + " accepted, " + rejected + " rejected");
    }

    @Test
    void badParametersNameTheParameter() {
        assertMessage(() -> new HistogramLayout(0, 1000, 2), "lowest");
        assertMessage(() -> new HistogramLayout(-1, 1000, 2), "lowest");
        assertMessage(() -> new HistogramLayout(Long.MIN_VALUE, 1000, 2), "lowest");
        assertMessage(() -> new HistogramLayout(10, 19, 2), "highest");
        assertMessage(() -> new HistogramLayout(1, 1, 2), "highest");
        assertMessage(() -> new HistogramLayout(1000, 0, 2), "highest");
        assertMessage(() -> new HistogramLayout(1000, -5, 2), "highest");
        assertMessage(() -> new HistogramLayout(1, 1000, 6), "digits");
        assertMessage(() -> new HistogramLayout(1, 1000, -1), "digits");
        assertMessage(() -> new HistogramLayout(1, 1000, Integer.MAX_VALUE), "digits");
        // lowest so large that its unit magnitude plus the sub-bucket bits exceed 62
        assertMessage(() -> new HistogramLayout(1L << 60, Long.MAX_VALUE, 3), "lowest");
        assertMessage(() -> new HistogramLayout(Long.MAX_VALUE / 2 + 1, Long.MAX_VALUE, 0), "lowest");
        // the minimal legal ones are accepted
        new HistogramLayout(1, 2, 0);
        new HistogramLayout(1, 2, 5);
        new HistogramLayout(1000, 2000, 3);
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String parameterWord) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains(parameterWord),
                "message should name the '" + parameterWord + "' parameter: " + e.getMessage());
    }
}
