package io.streammetrics.alert.rule;

import io.streammetrics.alert.expr.EvalContext;
import io.streammetrics.alert.expr.Expr;
import io.streammetrics.alert.expr.ExprParser;
import io.streammetrics.alert.expr.Sample;
import io.streammetrics.window.SampleRing;
import io.streammetrics.window.WindowSettings;
import io.streammetrics.window.WindowStore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Holds when a value deviates from its own recent past: the z-score of this evaluation's value against a rolling
 * baseline of {@code baseline} earlier values (mean and standard deviation), or, robustly, the modified z-score of
 * Iglewicz and Hoaglin ({@code 0.6745 (x - median) / MAD}), which one outlier in the baseline or a skewed
 * distribution such as latency does not move. Nothing holds before {@code minHistory} baseline values are known.
 * The alert's value is the z-score. A flat baseline (zero spread) makes any different value infinitely anomalous.
 *
 * <p>The baseline's values do not overlap: a value joins it only once the expression's longest window (the
 * {@code 5s} of {@code rate(x[5s])}; one evaluation interval for {@code last(x)}) has passed since the last one
 * that joined, and the current value is compared only with values at least that window older. Successive values of
 * a windowed rate share most of their window, so a baseline of every evaluation's value holds far fewer
 * independent values than it seems and underestimates the spread: benign noise then scored beyond 3. A baseline of
 * {@code n} values therefore spans {@code n} windows ({@code baseline: 60} over {@code rate(x[5s])}: 5 minutes).
 *
 * <p>A value for which the condition holds does not join the baseline, so a lasting fault keeps firing instead of
 * being absorbed as the new normal within a few windows, as seasonal and robust detectors keep anomalies out of
 * their model; the alert resolves when the value returns to the baseline's range. A lasting change of level keeps
 * the alert firing until then (acknowledge it, or reload the rule to start a new baseline).
 */
public final class AnomalyCondition implements RuleCondition {
    /** Which deviations count. */
    public enum Direction {
        /** Above or below the baseline. */
        BOTH,
        /** Above only (latency spikes). */
        ABOVE,
        /** Below only (throughput drops). */
        BELOW
    }

    private static final double MAD_SCALE = 0.6745;

    private final Expr expr;
    private final int baseline;
    private final int minHistory;
    private final double threshold;
    private final boolean robust;
    private final Direction direction;
    private final Map<Map<String, String>, Baseline> baselines = new HashMap<>();
    private long spacingMillis;
    private long slackMillis;
    private boolean noData;

    private AnomalyCondition(Builder builder) {
        this.expr = builder.expr;
        this.baseline = builder.baseline;
        this.minHistory = builder.minHistory;
        this.threshold = builder.threshold;
        this.robust = builder.robust;
        this.direction = builder.direction;
    }

    /** A builder over the value expression, such as {@code sum(rate(stream_records_processed_total[1m]))}. */
    public static Builder builder(String expr) {
        return new Builder(ExprParser.parse(expr));
    }

    /** The baseline of one label set: the values that joined it, at least one window apart. */
    private static final class Baseline {
        final SampleRing values;
        long lastSeenMillis;

        Baseline(int capacity) {
            values = new SampleRing(capacity);
        }
    }

    @Override
    public void declareWindows(WindowStore windows) {
        expr.declareWindows(windows);
        WindowSettings settings = windows.settings();
        // A probe store learns the longest window the expression reads (at least one interval, for last()).
        WindowStore probe = new WindowStore(settings);
        expr.declareWindows(probe);
        long longest = settings.intervalMillis();
        for (long range : probe.requirements().values()) {
            longest = Math.max(longest, range);
        }
        spacingMillis = longest;
        // Half an interval of slack, so that jitter in the ticks does not push a value a whole interval later.
        slackMillis = settings.intervalMillis() / 2;
        baselines.clear();
    }

    @Override
    public List<Sample> holding(EvalContext context, Predicate<Map<String, String>> active) {
        long now = context.nowMillis();
        List<Sample> holding = new ArrayList<>();
        noData = true;
        for (Sample sample : expr.evaluate(context)) {
            double value = sample.value();
            if (Double.isNaN(value)) {
                continue;
            }
            noData = false;
            // One value that overlaps the current window may be kept beside the full baseline.
            Baseline series = baselines.computeIfAbsent(sample.labels(), k -> new Baseline(baseline + 1));
            series.lastSeenMillis = now;
            double[] past = past(series.values, now);
            double z = past.length >= minHistory ? score(past, value) : Double.NaN;
            boolean anomalous = switch (direction) {
                case BOTH -> Math.abs(z) > threshold;
                case ABOVE -> z > threshold;
                case BELOW -> z < -threshold;
            };
            if (anomalous) {
                holding.add(new Sample(sample.labels(), z));
            } else if (series.values.size() == 0
                    || now - series.values.lastTime() >= spacingMillis - slackMillis) {
                series.values.append(now, value);
            }
        }
        long span = (baseline + 1) * spacingMillis;
        baselines.values().removeIf(series -> now - series.lastSeenMillis > span);
        return holding;
    }

    /** The baseline values whose window ends at least one window before now (so does not overlap the current). */
    private double[] past(SampleRing ring, long now) {
        int count = ring.indexAtOrBefore(now - spacingMillis + slackMillis) + 1;
        int from = Math.max(0, count - baseline);
        double[] values = new double[count - from];
        for (int i = from; i < count; i++) {
            values[i - from] = ring.valueAt(i);
        }
        return values;
    }

    private double score(double[] values, double value) {
        double center;
        double spread;
        if (robust) {
            center = median(values);
            double[] deviations = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                deviations[i] = Math.abs(values[i] - center);
            }
            spread = median(deviations) / MAD_SCALE;
        } else {
            double sum = 0;
            for (double v : values) {
                sum += v;
            }
            center = sum / values.length;
            double squares = 0;
            for (double v : values) {
                squares += (v - center) * (v - center);
            }
            spread = Math.sqrt(squares / values.length);
        }
        double deviation = value - center;
        if (spread == 0) {
            return deviation == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, deviation);
        }
        return deviation / spread;
    }

    private static double median(double[] values) {
        Arrays.sort(values);
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    @Override
    public boolean noData() {
        return noData;
    }

    @Override
    public String toString() {
        return (robust ? "robust " : "") + "anomaly(" + expr + ", baseline " + baseline + ", z > " + threshold + ")";
    }

    /** Builds an {@link AnomalyCondition}. */
    public static final class Builder {
        private final Expr expr;
        private int baseline = 60;
        private int minHistory = 30;
        private double threshold = 3;
        private boolean robust;
        private Direction direction = Direction.BOTH;

        private Builder(Expr expr) {
            this.expr = expr;
        }

        /**
         * Values in the rolling baseline (default 60), one per window of the expression: 60 values of
         * {@code rate(x[5s])} span 5 minutes.
         */
        public Builder baseline(int evaluations) {
            this.baseline = evaluations;
            return this;
        }

        /** Baseline values needed before the condition can hold (default 30), one per window of the expression. */
        public Builder minHistory(int evaluations) {
            this.minHistory = evaluations;
            return this;
        }

        /** The |z| above which a value is anomalous (default 3; 3.5 is usual for the robust score). */
        public Builder threshold(double z) {
            this.threshold = z;
            return this;
        }

        /** Median and MAD instead of mean and standard deviation. */
        public Builder robust(boolean robust) {
            this.robust = robust;
            return this;
        }

        /** Which deviations count (default both). */
        public Builder direction(Direction direction) {
            this.direction = Objects.requireNonNull(direction, "direction");
            return this;
        }

        /**
         * Builds the condition.
         *
         * @throws IllegalArgumentException naming a bad setting
         */
        public AnomalyCondition build() {
            if (baseline < 2) {
                throw new IllegalArgumentException("anomaly baseline must be at least 2 evaluations, got " + baseline);
            }
            if (minHistory < 2 || minHistory > baseline) {
                throw new IllegalArgumentException("anomaly min_history must be between 2 and the baseline ("
                        + baseline + "), got " + minHistory);
            }
            if (!(threshold > 0)) {
                throw new IllegalArgumentException("anomaly threshold must be positive, got " + threshold);
            }
            return new AnomalyCondition(this);
        }
    }
}
