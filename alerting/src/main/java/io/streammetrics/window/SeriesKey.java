package io.streammetrics.window;

import java.util.List;

/**
 * One tracked signal of one series: the family, the series' label values, what is tracked and, for
 * {@link Signal#BUCKET}, the bound.
 *
 * @param family      family name as registered
 * @param labelValues the series' label values ({@code overflow} tells the overflow series apart)
 * @param overflow    whether it is the family's overflow series
 * @param signal      what is tracked
 * @param bound       the {@code le} bound of a bucket signal, 0 otherwise
 */
public record SeriesKey(String family, List<String> labelValues, boolean overflow, Signal signal, double bound) {
    /** A multiplier that spreads the bits of each label value's hash across the whole int. */
    private static final int SPREAD = 0x9E3779B1;

    /**
     * Mixes the label values with a large odd multiplier instead of {@link List#hashCode()}'s 31: label values are
     * short strings ({@code "s07"}, {@code "12"}) whose hashes lie close together, so with 31 the series of a
     * family share hash values (50 stages x 40 shards: 1,100 values for 2,000 series) and the window map's bins
     * fill up.
     */
    @Override
    public int hashCode() {
        int hash = family.hashCode();
        for (String value : labelValues) {
            hash = hash * SPREAD + value.hashCode();
        }
        return ((hash * SPREAD + Boolean.hashCode(overflow)) * SPREAD + signal.ordinal()) * SPREAD
                + Double.hashCode(bound);
    }
}
