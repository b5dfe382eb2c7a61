package io.streammetrics.common;

import java.util.Arrays;
import java.util.Objects;

/**
 * The classic (explicit, Prometheus {@code le}) buckets of one histogram or timer family: its upper bounds and the
 * map from each HdrHistogram bucket to the classic bucket that counts it, computed once at registration so that
 * the aggregator keeps classic counts with one table load and one add per record (see {@link MetricStore}).
 *
 * <p><b>Placement and its error.</b> HDR only knows that a value lies somewhere in its bucket {@code [low, high]},
 * so an HDR bucket goes whole to the first classic bucket whose upper bound is at least the HDR bucket's highest
 * value (in exported units: divided by {@link #scale()}). A classic bucket therefore never counts a value above its
 * bound, but a value within one HDR bucket width below a bound (in the HDR bucket that straddles it) is counted in
 * the next bucket up: the placement error is at most one HDR bucket width, {@code 2^-m} of the value
 * ({@link HistogramLayout#relativeBucketWidth()}, 0.78% at 2 significant digits). Bounds that fall on an HDR bucket
 * boundary are exact; so are integer bounds below {@code 2 * 10^d} where HDR buckets hold single integers (lowest
 * discernible value 1). This is the rule exporters apply to HDR counts, so both give the same classic counts.
 *
 * <p>Immutable, shared by the registering thread, the aggregator and readers.
 */
public final class ClassicBuckets {
    /**
     * The most upper bounds a family may declare: the store keeps one count per classic bucket in every histogram
     * record (this many plus one for the values above the last bound), so the region has a fixed size.
     */
    public static final int MAX_UPPER_BOUNDS = 32;

    private final double[] upperBounds;
    private final double scale;
    private final int[] limits;
    private final byte[] slotByIndex;

    private ClassicBuckets(HistogramLayout layout, double[] upperBounds, double scale) {
        this.upperBounds = upperBounds;
        this.scale = scale;
        this.limits = indexLimits(layout, upperBounds, scale);
        this.slotByIndex = new byte[layout.countsLength()];
        int slot = 0;
        for (int index = 0; index < slotByIndex.length; index++) {
            // Limits never decrease, so a bucket's slot is the first bound whose limit reaches it.
            while (slot < limits.length && limits[slot] < index) {
                slot++;
            }
            slotByIndex[index] = (byte) slot;
        }
    }

    /**
     * The classic buckets of a family.
     *
     * @param upperBounds as {@link #checkUpperBounds} returns them, in exported units
     * @param scale recorded units per exported unit: 1e9 for timers (nanoseconds recorded, seconds exported), 1
     *              for other histograms (raw values)
     */
    public static ClassicBuckets of(HistogramLayout layout, double[] upperBounds, double scale) {
        return new ClassicBuckets(layout, upperBounds.clone(), scale);
    }

    /**
     * Checks a family's declared upper bounds and returns them without a trailing {@code +Inf} (the total count,
     * always implied).
     *
     * @throws IllegalArgumentException naming the family and the problem: no finite bound, a bound that is NaN or
     *         infinite, bounds not strictly increasing, or more than {@value #MAX_UPPER_BOUNDS}
     */
    public static double[] checkUpperBounds(String familyName, double... upperBounds) {
        Objects.requireNonNull(upperBounds, "upperBounds");
        double[] bounds = upperBounds.clone();
        if (bounds.length > 0 && bounds[bounds.length - 1] == Double.POSITIVE_INFINITY) {
            bounds = Arrays.copyOf(bounds, bounds.length - 1);
        }
        String what = "classic upper bounds of metric '" + familyName + "'";
        if (bounds.length == 0) {
            throw new IllegalArgumentException(what + " must hold at least one finite bound (+Inf is implied), got "
                    + Arrays.toString(upperBounds));
        }
        if (bounds.length > MAX_UPPER_BOUNDS) {
            throw new IllegalArgumentException(what + " are " + bounds.length + ", more than the "
                    + MAX_UPPER_BOUNDS + " a histogram record holds");
        }
        for (int i = 0; i < bounds.length; i++) {
            if (!Double.isFinite(bounds[i])) {
                throw new IllegalArgumentException(what + " must be finite (+Inf only last), got "
                        + Arrays.toString(upperBounds));
            }
            if (i > 0 && bounds[i] <= bounds[i - 1]) {
                throw new IllegalArgumentException(what + " must be strictly increasing, got "
                        + Arrays.toString(upperBounds));
            }
        }
        return bounds;
    }

    /**
     * For each upper bound, the highest HDR bucket index whose highest value is at most the bound (-1 if none):
     * classic bucket {@code k} then holds HDR buckets {@code limits[k - 1] + 1} to {@code limits[k]}.
     *
     * @param upperBounds sorted, finite bounds in exported units
     * @param scale recorded units per exported unit (1e9 for timers)
     */
    public static int[] indexLimits(HistogramLayout layout, double[] upperBounds, double scale) {
        int[] limits = new int[upperBounds.length];
        int index = -1;
        for (int k = 0; k < upperBounds.length; k++) {
            // Exact division: highest / 1e9 is the double nearest the true quotient, as the literal bound is,
            // so an HDR bucket ending exactly on a bound compares equal. Highest values grow with the index.
            while (index + 1 < layout.countsLength() && layout.highestValueAt(index + 1) / scale <= upperBounds[k]) {
                index++;
            }
            limits[k] = index;
        }
        return limits;
    }

    /** The upper bounds in exported units, without {@code +Inf} (a copy). */
    public double[] upperBounds() {
        return upperBounds.clone();
    }

    /** Number of finite upper bounds; the classic buckets are one more (the last one above every bound). */
    public int boundCount() {
        return upperBounds.length;
    }

    /** Whether these are exactly {@code upperBounds} (exported units, without {@code +Inf}). */
    public boolean hasUpperBounds(double[] upperBounds) {
        return Arrays.equals(this.upperBounds, upperBounds);
    }

    /** Recorded units per exported unit: 1e9 for timers, 1 otherwise. */
    public double scale() {
        return scale;
    }

    /** {@link #indexLimits} of these bounds (a copy). */
    public int[] indexLimits() {
        return limits.clone();
    }

    /** The classic bucket ({@code 0} to {@link #boundCount()}) counting HDR bucket {@code index}. */
    public int bucketOf(int index) {
        return slotByIndex[index];
    }

    /**
     * The table itself, not a copy: the store's writer keeps it per histogram (shared by every series of the family)
     * and reads it on every record. Never modified; callers must not write to it either.
     */
    public byte[] slotByIndex() {
        return slotByIndex;
    }

    @Override
    public String toString() {
        return "ClassicBuckets" + Arrays.toString(upperBounds) + (scale == 1 ? "" : " / " + scale);
    }
}
