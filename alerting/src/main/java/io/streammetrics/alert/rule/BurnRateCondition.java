package io.streammetrics.alert.rule;

import io.streammetrics.alert.expr.EvalContext;
import io.streammetrics.alert.expr.Expr;
import io.streammetrics.alert.expr.ExprParser;
import io.streammetrics.alert.expr.Sample;
import io.streammetrics.common.Durations;
import io.streammetrics.window.WindowStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * An SLO burn-rate alert with multiple windows and burn rates (Google SRE workbook). The SLI is good events over
 * total events, either two counters or a latency histogram (good = values at most a bound, from its buckets). Over
 * a window, the error ratio is {@code 1 - increase(good) / increase(total)} and the burn rate is the error ratio
 * over the error budget {@code 1 - objective}. Each {@link BurnWindow} pair is its own alert, labelled
 * {@code slo_window} (the long window) and {@code severity}; its value is the long window's burn rate. A window
 * without traffic burns nothing. Windows beyond an hour are read from the coarse checkpoints of the window store
 * (see {@code WindowSettings}).
 */
public final class BurnRateCondition implements RuleCondition {
    /** The label naming the pair's long window. */
    public static final String WINDOW_LABEL = "slo_window";

    private final double objective;
    private final List<BurnWindow> windows;
    private final Map<Long, Expr> good = new HashMap<>();
    private final Map<Long, Expr> total = new HashMap<>();
    private boolean sawTotal;
    private boolean noData;

    private BurnRateCondition(Builder builder) {
        this.objective = builder.objective;
        this.windows = List.copyOf(builder.windows.isEmpty() ? BurnWindow.DEFAULTS : builder.windows);
        String grouping = builder.by.isEmpty() ? "sum" : "sum by (" + String.join(", ", builder.by) + ")";
        for (BurnWindow window : windows) {
            for (Duration d : List.of(window.longWindow(), window.shortWindow())) {
                String range = "[" + Durations.format(d) + "]";
                good.computeIfAbsent(d.toMillis(), k -> ExprParser.parse(grouping + " (increase(" + builder.good + range + "))"));
                total.computeIfAbsent(d.toMillis(), k -> ExprParser.parse(grouping + " (increase(" + builder.total + range + "))"));
            }
        }
    }

    /** A builder; set either {@link Builder#ratio} or {@link Builder#latency}, and the objective. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void declareWindows(WindowStore store) {
        good.values().forEach(expr -> expr.declareWindows(store));
        total.values().forEach(expr -> expr.declareWindows(store));
    }

    /** The burn rate per label group over one of the configured windows at this evaluation. */
    public Map<Map<String, String>, Double> burnRates(EvalContext context, Duration window) {
        Expr goodExpr = good.get(window.toMillis());
        if (goodExpr == null) {
            throw new IllegalArgumentException("window " + window + " is not one of this SLO's windows");
        }
        Map<Map<String, String>, Double> totals = new HashMap<>();
        for (Sample sample : total.get(window.toMillis()).evaluate(context)) {
            totals.put(sample.labels(), sample.value());
            sawTotal = true;
        }
        Map<Map<String, String>, Double> burn = new LinkedHashMap<>();
        for (Sample sample : goodExpr.evaluate(context)) {
            Double all = totals.get(sample.labels());
            if (all != null && all > 0) {
                burn.put(sample.labels(), (1 - sample.value() / all) / (1 - objective));
            }
        }
        return burn;
    }

    @Override
    public List<Sample> holding(EvalContext context, Predicate<Map<String, String>> active) {
        // No data: no window's total has a series (zero traffic is data: a burn rate of nothing, not a gap).
        sawTotal = false;
        List<Sample> holding = new ArrayList<>();
        for (BurnWindow window : windows) {
            Map<Map<String, String>, Double> shortBurn = burnRates(context, window.shortWindow());
            burnRates(context, window.longWindow()).forEach((labels, longBurn) -> {
                Double shortRate = shortBurn.get(labels);
                if (longBurn > window.burnRate() && shortRate != null && shortRate > window.burnRate()) {
                    Map<String, String> alertLabels = new TreeMap<>(labels);
                    alertLabels.put(WINDOW_LABEL, Durations.format(window.longWindow()));
                    alertLabels.put("severity", window.severity().label());
                    holding.add(new Sample(alertLabels, longBurn));
                }
            });
        }
        noData = !sawTotal;
        return holding;
    }

    @Override
    public boolean noData() {
        return noData;
    }

    @Override
    public String toString() {
        return "slo(" + objective + ", " + windows + ")";
    }

    /** Builds a {@link BurnRateCondition}. */
    public static final class Builder {
        private String good;
        private String total;
        private double objective = Double.NaN;
        private List<String> by = List.of();
        private final List<BurnWindow> windows = new ArrayList<>();

        private Builder() {
        }

        /** Good and total events as two counter selectors, such as {@code requests_total{code!~"5.."}}. */
        public Builder ratio(String goodSelector, String totalSelector) {
            this.good = Objects.requireNonNull(goodSelector, "goodSelector");
            this.total = Objects.requireNonNull(totalSelector, "totalSelector");
            return this;
        }

        /**
         * Good events are the values of a histogram or timer at most {@code boundSeconds} (base units), total events
         * all of its values.
         *
         * @param histogramSelector such as {@code stream_processing_latency_seconds{stage="parse"}}
         */
        public Builder latency(String histogramSelector, double boundSeconds) {
            int brace = histogramSelector.indexOf('{');
            String name = (brace < 0 ? histogramSelector : histogramSelector.substring(0, brace)).trim();
            String matchers = brace < 0 ? "" : histogramSelector.substring(brace + 1, histogramSelector.lastIndexOf('}')).trim();
            this.good = name + "_bucket{le=\"" + boundSeconds + "\"" + (matchers.isEmpty() ? "" : ", " + matchers) + "}";
            this.total = name + "_count" + (matchers.isEmpty() ? "" : "{" + matchers + "}");
            return this;
        }

        /** The SLO target as a fraction, such as 0.999. */
        public Builder objective(double objective) {
            this.objective = objective;
            return this;
        }

        /** Labels the SLO is computed per (the others are summed away); none for one SLO over everything. */
        public Builder by(String... labels) {
            this.by = List.of(labels);
            return this;
        }

        /** Adds a window pair; without any, {@link BurnWindow#DEFAULTS} apply. */
        public Builder window(BurnWindow window) {
            windows.add(Objects.requireNonNull(window, "window"));
            return this;
        }

        /**
         * Builds the condition.
         *
         * @throws IllegalArgumentException naming what is missing or bad
         */
        public BurnRateCondition build() {
            if (good == null) {
                throw new IllegalArgumentException("an SLO needs good/total selectors or a latency histogram and bound");
            }
            if (!(objective > 0 && objective < 1)) {
                throw new IllegalArgumentException("SLO objective must be a fraction between 0 and 1 (0.999 for 99.9 %), got "
                        + objective);
            }
            return new BurnRateCondition(this);
        }
    }
}
