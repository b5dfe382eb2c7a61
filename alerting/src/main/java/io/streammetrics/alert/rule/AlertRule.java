package io.streammetrics.alert.rule;

import io.streammetrics.common.Durations;
import io.streammetrics.internal.registry.NameRules;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One alerting rule: a condition and what an alert from it looks like and how it is notified. Immutable; the
 * condition keeps the per-series state its kind needs (a baseline, a history).
 *
 * <pre>{@code
 * AlertRule rule = AlertRule.builder("HighErrorRate")
 *         .condition(ThresholdCondition.of("sum by (stage) (rate(stream_errors_total[1m])) "
 *                 + "/ sum by (stage) (rate(stream_records_processed_total[1m])) > 0.05").resolveAt(0.03))
 *         .forDuration(Duration.ofSeconds(30))
 *         .severity(Severity.CRITICAL)
 *         .summary("Error rate of {{labels.stage}} at {{value}}")
 *         .runbook("https://runbooks.example.com/high-error-rate")
 *         .build();
 * }</pre>
 */
public final class AlertRule {
    /** Annotation keys with their own builder methods. */
    public static final String SUMMARY = "summary";
    public static final String DESCRIPTION = "description";
    public static final String RUNBOOK_URL = "runbook_url";
    /** Default re-notification interval of a firing alert, as Alertmanager's {@code repeat_interval}. */
    public static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(4);

    private final String name;
    private final RuleCondition condition;
    private final long forMillis;
    private final long keepFiringForMillis;
    private final Severity severity;
    private final Map<String, String> labels;
    private final Map<String, String> annotations;
    private final long repeatIntervalMillis;
    private final Escalation escalation;
    private final Set<String> notifiers;
    private final NoDataState noDataState;
    private final ErrorState errorState;

    private AlertRule(Builder builder) {
        this.name = builder.name;
        this.condition = builder.condition;
        this.forMillis = builder.forDuration.toMillis();
        this.keepFiringForMillis = builder.keepFiringFor.toMillis();
        this.severity = builder.severity;
        this.labels = Map.copyOf(builder.labels);
        this.annotations = Map.copyOf(builder.annotations);
        this.repeatIntervalMillis = builder.repeatInterval.toMillis();
        this.escalation = builder.escalation;
        this.notifiers = Set.copyOf(builder.notifiers);
        this.noDataState = builder.noDataState;
        this.errorState = builder.errorState;
    }

    /** A builder for a rule with this name (the {@code alertname} label). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public RuleCondition condition() {
        return condition;
    }

    /** How long the condition must hold before the alert fires. */
    public long forMillis() {
        return forMillis;
    }

    /** How long a firing alert keeps firing after its condition stopped holding. */
    public long keepFiringForMillis() {
        return keepFiringForMillis;
    }

    /** The default severity (a {@code severity} label from the condition overrides it). */
    public Severity severity() {
        return severity;
    }

    /** Labels added to every alert of the rule. */
    public Map<String, String> labels() {
        return labels;
    }

    /** Annotation templates. */
    public Map<String, String> annotations() {
        return annotations;
    }

    /** Re-notification interval of a firing, unacknowledged alert; 0 never re-notifies. */
    public long repeatIntervalMillis() {
        return repeatIntervalMillis;
    }

    /** The escalation, or null. */
    public Escalation escalation() {
        return escalation;
    }

    /** Names of the notifiers the rule's events go to; empty for every default notifier. */
    public Set<String> notifiers() {
        return notifiers;
    }

    /** What the rule does when its query returns no data. */
    public NoDataState noDataState() {
        return noDataState;
    }

    /** What the rule does when its evaluation fails. */
    public ErrorState errorState() {
        return errorState;
    }

    @Override
    public String toString() {
        return "AlertRule[" + name + ": " + condition + "]";
    }

    /** Builds an {@link AlertRule}. */
    public static final class Builder {
        private final String name;
        private RuleCondition condition;
        private Duration forDuration = Duration.ZERO;
        private Duration keepFiringFor = Duration.ZERO;
        private Severity severity = Severity.WARNING;
        private final Map<String, String> labels = new TreeMap<>();
        private final Map<String, String> annotations = new LinkedHashMap<>();
        private Duration repeatInterval = DEFAULT_REPEAT_INTERVAL;
        private Escalation escalation;
        private List<String> notifiers = List.of();
        private NoDataState noDataState = NoDataState.NO_DATA;
        private ErrorState errorState = ErrorState.ERROR;

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("alert rule name must not be empty");
            }
            this.name = name;
        }

        /** What the rule tests. Required. */
        public Builder condition(RuleCondition condition) {
            this.condition = Objects.requireNonNull(condition, "condition");
            return this;
        }

        /** How long the condition must hold before firing (Prometheus' {@code for}); default 0. */
        public Builder forDuration(Duration duration) {
            this.forDuration = nonNegative("for", duration);
            return this;
        }

        /** How long to keep firing after the condition stops holding (Prometheus' {@code keep_firing_for}). */
        public Builder keepFiringFor(Duration duration) {
            this.keepFiringFor = nonNegative("keep_firing_for", duration);
            return this;
        }

        /** Default severity (warning unless set). */
        public Builder severity(Severity severity) {
            this.severity = Objects.requireNonNull(severity, "severity");
            return this;
        }

        /** Adds a label to every alert; {@code severity} sets the severity instead. */
        public Builder label(String name, String value) {
            if (name.equals("severity")) {
                return severity(Severity.parse(value));
            }
            NameRules.checkLabelNames(this.name, List.of(name), false);
            labels.put(name, Objects.requireNonNull(value, "label value"));
            return this;
        }

        /** Adds an annotation template ({@code {{labels.x}}}, {@code {{value}}}). */
        public Builder annotation(String name, String template) {
            Templates.check(Objects.requireNonNull(template, "template"));
            annotations.put(Objects.requireNonNull(name, "annotation name"), template);
            return this;
        }

        /** The summary template. */
        public Builder summary(String template) {
            return annotation(SUMMARY, template);
        }

        /** The description template. */
        public Builder description(String template) {
            return annotation(DESCRIPTION, template);
        }

        /** A runbook link (may use placeholders too). */
        public Builder runbook(String url) {
            return annotation(RUNBOOK_URL, url);
        }

        /** Re-notification interval while firing unacknowledged (default 4 h; 0 never re-notifies). */
        public Builder repeatInterval(Duration interval) {
            this.repeatInterval = nonNegative("repeat_interval", interval);
            return this;
        }

        /** Escalation of alerts that fire unacknowledged too long. */
        public Builder escalation(Escalation escalation) {
            this.escalation = escalation;
            return this;
        }

        /** Sends the rule's events only to these notifiers (by name) instead of every default notifier. */
        public Builder notifiers(String... names) {
            this.notifiers = List.of(names);
            return this;
        }

        /**
         * What to do when the query returns no data (default {@link NoDataState#NO_DATA}: keep the alerts' state and
         * raise a synthetic {@code NoData} alert after {@code for}).
         */
        public Builder noDataState(NoDataState state) {
            this.noDataState = Objects.requireNonNull(state, "state");
            return this;
        }

        /**
         * What to do when the evaluation fails (default {@link ErrorState#ERROR}: keep the alerts' state and raise a
         * synthetic {@code EvaluationError} alert after {@code for}).
         */
        public Builder errorState(ErrorState state) {
            this.errorState = Objects.requireNonNull(state, "state");
            return this;
        }

        /**
         * Builds the rule.
         *
         * @throws IllegalArgumentException if the condition is missing
         */
        public AlertRule build() {
            if (condition == null) {
                throw new IllegalArgumentException("alert rule '" + name + "' has no condition");
            }
            return new AlertRule(this);
        }

        private static Duration nonNegative(String what, Duration duration) {
            if (duration.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative, got " + Durations.format(duration));
            }
            return duration;
        }
    }
}
