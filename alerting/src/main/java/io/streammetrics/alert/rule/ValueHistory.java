package io.streammetrics.alert.rule;

import io.streammetrics.alert.expr.EvalContext;
import io.streammetrics.alert.expr.Expr;
import io.streammetrics.alert.expr.Sample;
import io.streammetrics.window.SampleRing;
import io.streammetrics.window.WindowSettings;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The recent values of an expression per label set, one per evaluation, for the rules that look at how a value
 * moves (rate of change, trend). A label set not seen for longer than the history spans is forgotten, so
 * the map is bounded by the label sets alive in the last span: {@code 16 * capacity} bytes each.
 */
final class ValueHistory {
    private final Map<Map<String, String>, SampleRing> rings = new HashMap<>();
    private final int capacity;
    private final long spanMillis;
    private int lastCount;

    private ValueHistory(int capacity, long spanMillis) {
        this.capacity = capacity;
        this.spanMillis = spanMillis;
    }

    /** A history that reaches {@code windowMillis} back from the current value. */
    static ValueHistory covering(long windowMillis, WindowSettings settings) {
        long interval = settings.intervalMillis();
        return new ValueHistory(Math.toIntExact((windowMillis + interval - 1) / interval + 2), windowMillis);
    }

    /**
     * Evaluates {@code expr}, appends each sample's value to the history of its label set and asks {@code judge}
     * (given the sample and the history ending with it) for the sample to report, or null if the condition does
     * not hold.
     */
    List<Sample> track(EvalContext context, Expr expr, BiFunction<Sample, SampleRing, Sample> judge) {
        List<Sample> holding = new ArrayList<>();
        long now = context.nowMillis();
        List<Sample> samples = expr.evaluate(context);
        lastCount = samples.size();
        for (Sample sample : samples) {
            SampleRing ring = rings.computeIfAbsent(sample.labels(), k -> new SampleRing(capacity));
            ring.append(now, sample.value());
            Sample verdict = judge.apply(sample, ring);
            if (verdict != null) {
                holding.add(verdict);
            }
        }
        rings.values().removeIf(ring -> now - ring.lastTime() > spanMillis);
        return holding;
    }

    /** Whether the last {@link #track} found no sample at all (the condition's no data). */
    boolean empty() {
        return lastCount == 0;
    }
}
