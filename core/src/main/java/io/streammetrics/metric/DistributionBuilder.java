package io.streammetrics.metric;

import io.streammetrics.common.ClassicBuckets;
import io.streammetrics.common.DefaultBuckets;

/**
 * Settings of histogram and timer family builders beyond {@link FamilyBuilder}'s: the classic bucket bounds.
 *
 * @param <B> the concrete builder
 * @param <F> the family it registers
 */
public abstract class DistributionBuilder<B extends DistributionBuilder<B, F>, F> extends FamilyBuilder<B, F> {
    DistributionBuilder(Instruments instruments, String name) {
        super(instruments, name);
    }

    /**
     * The upper bounds of the family's classic buckets (Prometheus {@code le}, OTLP explicit buckets), as
     * client_java's {@code classicUpperBounds}: in the family's exported unit (seconds for timers, which record
     * nanoseconds; recorded values for other histograms), strictly increasing and finite; {@code +Inf} is implied
     * (and dropped if given last). At most {@value ClassicBuckets#MAX_UPPER_BOUNDS}. Default:
     * {@link DefaultBuckets#forFamily}.
     *
     * <p>The store keeps a count per classic bucket next to the HdrHistogram buckets, so that a scrape reads a few
     * dozen numbers per series instead of the HDR bucket range. A value goes to the first bucket whose bound is at
     * least the highest value of its HDR bucket: a value within one HDR bucket width (0.78% at 2 significant
     * digits) below a bound may be counted in the next bucket up (see {@link ClassicBuckets}). Registering the
     * family again with other bounds fails as a label-set conflict does.
     *
     * @throws IllegalArgumentException naming the family and what is wrong with the bounds
     */
    public B classicUpperBounds(double... upperBounds) {
        this.classicUpperBounds = ClassicBuckets.checkUpperBounds(name, upperBounds);
        return self();
    }
}
