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
}
