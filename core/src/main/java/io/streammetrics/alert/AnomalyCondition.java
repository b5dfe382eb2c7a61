package io.streammetrics.alert;

import io.streammetrics.alert.expr.EvalContext;
import io.streammetrics.alert.expr.Expr;
import io.streammetrics.alert.expr.ExprParser;
import io.streammetrics.alert.expr.Sample;
import io.streammetrics.window.SampleRing;
import io.streammetrics.window.WindowStore;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Holds when a value deviates from its own recent past: the z-score of this evaluation's value against a rolling
 * baseline of the previous {@code baseline} evaluations (mean and standard deviation), or, robustly, the modified
 * z-score of Iglewicz and Hoaglin ({@code 0.6745 (x - median) / MAD}), which one outlier in the baseline or a
 * skewed distribution such as latency does not move. Nothing holds before {@code minHistory} values are known. The
 * alert's value is the z-score. Every value joins the baseline, so a lasting level shift stops being anomalous once
 * the baseline has absorbed it. A flat baseline (zero spread) makes any different value infinitely anomalous.
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
    private ValueHistory history;

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

    @Override
    public void declareWindows(WindowStore windows) {
        expr.declareWindows(windows);
        history = ValueHistory.ofEvaluations(baseline, windows.settings());
    }

    @Override
    public List<Sample> holding(EvalContext context, Predicate<Map<String, String>> active) {
        return history.track(context, expr, (sample, ring) -> {
            // The baseline is the history before this value.
            double z = ring.size() - 1 >= minHistory ? score(ring, sample.value()) : Double.NaN;
            boolean anomalous = switch (direction) {
                case BOTH -> Math.abs(z) > threshold;
                case ABOVE -> z > threshold;
                case BELOW -> z < -threshold;
            };
            return anomalous ? new Sample(sample.labels(), z) : null;
        });
    }

    private double score(SampleRing ring, double value) {
        double[] values = new double[ring.size() - 1];
        for (int i = 0; i < values.length; i++) {
            values[i] = ring.valueAt(i);
        }
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

        /** Evaluations in the rolling baseline (default 60). */
        public Builder baseline(int evaluations) {
            this.baseline = evaluations;
            return this;
        }

        /** Baseline values needed before the condition can hold (default 30). */
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
