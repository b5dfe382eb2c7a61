package io.streammetrics.common;

/**
 * The bucket layout of an {@code org.HdrHistogram.Histogram} with the same lowest discernible value, highest
 * trackable value and number of significant digits, reproduced index for index so that counts kept off-heap
 * convert losslessly into an HdrHistogram.
 *
 * <p>The arithmetic is HdrHistogram's own (AbstractHistogram's {@code countsArrayIndex} and
 * {@code valueFromIndex}); it is repeated here because HdrHistogram keeps it package-private and only works on its
 * own heap arrays. Instances are immutable and shared by the writer and every reader.
 */
public final class HistogramLayout {
    private final long lowestDiscernibleValue;
    private final long highestTrackableValue;
    private final int significantDigits;
    private final int unitMagnitude;
    private final int subBucketHalfCountMagnitude;
    private final int subBucketHalfCount;
    private final long subBucketMask;
    private final int leadingZeroCountBase;
    private final int countsLength;

    /**
     * @param lowestDiscernibleValue the smallest value told apart from 0 (at least 1)
     * @param highestTrackableValue the largest value recorded without clamping (at least twice the lowest)
     * @param significantDigits decimal digits of precision kept across the range (0 to 5)
     * @throws IllegalArgumentException naming the offending parameter
     */
    public HistogramLayout(long lowestDiscernibleValue, long highestTrackableValue, int significantDigits) {
        if (lowestDiscernibleValue < 1) {
            throw new IllegalArgumentException("histogram lowest discernible value must be >= 1, got " + lowestDiscernibleValue);
        }
        if (highestTrackableValue < 2 * lowestDiscernibleValue) {
            throw new IllegalArgumentException("histogram highest trackable value must be >= 2 * lowest discernible value, got "
                    + highestTrackableValue + " with lowest " + lowestDiscernibleValue);
        }
        if (significantDigits < 0 || significantDigits > 5) {
            throw new IllegalArgumentException("histogram significant digits must be between 0 and 5, got " + significantDigits);
        }
        this.lowestDiscernibleValue = lowestDiscernibleValue;
        this.highestTrackableValue = highestTrackableValue;
        this.significantDigits = significantDigits;
        long largestValueWithSingleUnitResolution = 2 * (long) Math.pow(10, significantDigits);
        this.unitMagnitude = (int) (Math.log(lowestDiscernibleValue) / Math.log(2));
        int subBucketCountMagnitude = (int) Math.ceil(Math.log(largestValueWithSingleUnitResolution) / Math.log(2));
        if (subBucketCountMagnitude + unitMagnitude > 62) {
            throw new IllegalArgumentException("histogram lowest discernible value " + lowestDiscernibleValue
                    + " is too large for " + significantDigits + " significant digits");
        }
        this.subBucketHalfCountMagnitude = subBucketCountMagnitude - 1;
        int subBucketCount = 1 << subBucketCountMagnitude;
        this.subBucketHalfCount = subBucketCount / 2;
        this.subBucketMask = ((long) subBucketCount - 1) << unitMagnitude;
        this.leadingZeroCountBase = 64 - unitMagnitude - subBucketCountMagnitude;
        this.countsLength = (bucketsNeededToCover(highestTrackableValue, subBucketCount, unitMagnitude) + 1) * subBucketHalfCount;
    }

    private static int bucketsNeededToCover(long value, int subBucketCount, int unitMagnitude) {
        long smallestUntrackableValue = ((long) subBucketCount) << unitMagnitude;
        int bucketsNeeded = 1;
        while (smallestUntrackableValue <= value) {
            if (smallestUntrackableValue > (Long.MAX_VALUE / 2)) {
                return bucketsNeeded + 1;
            }
            smallestUntrackableValue <<= 1;
            bucketsNeeded++;
        }
        return bucketsNeeded;
    }

    /** Index of the bucket counting {@code value}; {@code value} must be within 0 and the highest trackable value. */
    public int indexOf(long value) {
        int bucketIndex = leadingZeroCountBase - Long.numberOfLeadingZeros(value | subBucketMask);
        int subBucketIndex = (int) (value >>> (bucketIndex + unitMagnitude));
        return ((bucketIndex + 1) << subBucketHalfCountMagnitude) + (subBucketIndex - subBucketHalfCount);
    }

    /** The lowest value that lands in bucket {@code index}, as HdrHistogram's {@code valueFromIndex}. */
    public long valueAt(int index) {
        int bucketIndex = (index >> subBucketHalfCountMagnitude) - 1;
        int subBucketIndex = (index & (subBucketHalfCount - 1)) + subBucketHalfCount;
        if (bucketIndex < 0) {
            subBucketIndex -= subBucketHalfCount;
            bucketIndex = 0;
        }
        return ((long) subBucketIndex) << (bucketIndex + unitMagnitude);
    }

    /** The highest value that lands in bucket {@code index}. */
    public long highestValueAt(int index) {
        return index + 1 < countsLength ? valueAt(index + 1) - 1 : highestEquivalent(valueAt(index));
    }

    private long highestEquivalent(long value) {
        int bucketIndex = leadingZeroCountBase - Long.numberOfLeadingZeros(value | subBucketMask);
        int subBucketIndex = (int) (value >>> (bucketIndex + unitMagnitude));
        int adjustedBucket = subBucketIndex >= 2 * subBucketHalfCount ? bucketIndex + 1 : bucketIndex;
        long size = 1L << (unitMagnitude + adjustedBucket);
        return valueAt(indexOf(value)) + size - 1;
    }

    /**
     * {@code m}: log2 of the number of sub-buckets per half range ({@code 2^m} buckets per power of two above the
     * first), 7 at 2 significant digits. Exporters size exponential buckets from it.
     */
    public int subBucketHalfCountMagnitude() {
        return subBucketHalfCountMagnitude;
    }

    /** Upper bound of a bucket's width relative to its lowest value, {@code 2^-m} (0.78% at 2 digits). */
    public double relativeBucketWidth() {
        return Math.scalb(1.0, -subBucketHalfCountMagnitude);
    }

    /** Number of bucket counters, as HdrHistogram's {@code countsArrayLength}. */
    public int countsLength() {
        return countsLength;
    }

    public long lowestDiscernibleValue() {
        return lowestDiscernibleValue;
    }

    public long highestTrackableValue() {
        return highestTrackableValue;
    }

    public int significantDigits() {
        return significantDigits;
    }

    @Override
    public String toString() {
        return "HistogramLayout[" + lowestDiscernibleValue + ".." + highestTrackableValue + ", " + significantDigits
                + " digits, " + countsLength + " buckets]";
    }
}
