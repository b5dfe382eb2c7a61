package io.streammetrics.alert.rule;

import io.streammetrics.alert.expr.EvalContext;
import io.streammetrics.alert.expr.Sample;
import io.streammetrics.alert.expr.Staleness;
import io.streammetrics.common.Durations;
import io.streammetrics.window.WindowStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Holds for each matching series that has not been updated for longer than {@code after} (its last update time, as
 * the store records it, stops moving when a stage dies), and, like PromQL's {@code absent()}, once for the
 * selector's {@code =} labels when no series has matched for that long. The alert's value is the seconds since the
 * last update.
 */
public final class AbsenceCondition implements RuleCondition {
    private final Staleness staleness;
    private final long afterMillis;
    private long missingSinceMillis = -1;

    private AbsenceCondition(Staleness staleness, long afterMillis) {
        this.staleness = staleness;
        this.afterMillis = afterMillis;
    }

    /**
     * @param selector the series, such as {@code stream_records_processed_total{stage="parse"}}
     * @param after    how long without an update counts as absent
     * @throws IllegalArgumentException naming a bad argument
     */
    public static AbsenceCondition of(String selector, Duration after) {
        if (after.toMillis() <= 0) {
            throw new IllegalArgumentException("absence duration must be positive, got " + Durations.format(after));
        }
        return new AbsenceCondition(Staleness.of(selector), after.toMillis());
    }

    @Override
    public void declareWindows(WindowStore windows) {
        staleness.declareWindows(windows);
    }

    @Override
    public List<Sample> holding(EvalContext context, Predicate<Map<String, String>> active) {
        List<Sample> series = staleness.evaluate(context);
        List<Sample> holding = new ArrayList<>();
        long now = context.nowMillis();
        if (series.isEmpty()) {
            if (missingSinceMillis < 0) {
                missingSinceMillis = now;
            }
            if (now - missingSinceMillis >= afterMillis) {
                holding.add(new Sample(staleness.equalityLabels(), (now - missingSinceMillis) / 1000.0));
            }
            return holding;
        }
        missingSinceMillis = -1;
        for (Sample sample : series) {
            if (sample.value() * 1000 > afterMillis) {
                holding.add(sample);
            }
        }
        return holding;
    }

    @Override
    public String toString() {
        return staleness + " > " + Durations.format(Duration.ofMillis(afterMillis));
    }
}
