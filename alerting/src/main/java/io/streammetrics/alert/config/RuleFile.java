package io.streammetrics.alert.config;

import io.streammetrics.alert.expr.Comparison;
import io.streammetrics.alert.expr.ExprParser;
import io.streammetrics.alert.rule.AbsenceCondition;
import io.streammetrics.alert.rule.AlertRule;
import io.streammetrics.alert.rule.AnomalyCondition;
import io.streammetrics.alert.rule.BurnRateCondition;
import io.streammetrics.alert.rule.BurnWindow;
import io.streammetrics.alert.rule.ErrorState;
import io.streammetrics.alert.rule.Escalation;
import io.streammetrics.alert.rule.NoDataState;
import io.streammetrics.alert.rule.RateOfChangeCondition;
import io.streammetrics.alert.rule.RuleCondition;
import io.streammetrics.alert.rule.RuleGroup;
import io.streammetrics.alert.rule.Severity;
import io.streammetrics.alert.rule.ThresholdCondition;
import io.streammetrics.alert.rule.TrendCondition;
import io.streammetrics.common.Durations;
import org.snakeyaml.engine.v2.nodes.Node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads alert rules from YAML, in a format close to Prometheus rule files. Every rule has {@code alert} and exactly
 * one kind: {@code expr} (threshold), {@code anomaly}, {@code rate_of_change}, {@code trend}, {@code absent} or
 * {@code slo}. Expressions use the PromQL subset of {@link io.streammetrics.alert.expr.ExprParser}; durations are
 * Prometheus durations ({@code 30s}, {@code 5m}, {@code 1h30m}, {@code 3d}).
 *
 * <pre>{@code
 * groups:
 *   - name: stream
 *     interval: 5s                      # optional, at least the evaluation interval
 *     rules:
 *       - alert: HighErrorRate          # threshold, per stage, with hysteresis
 *         expr: sum by (stage) (rate(stream_errors_total[1m])) / sum by (stage) (rate(stream_records_processed_total[1m])) > 0.05
 *         resolve: 0.03                 # once firing, holds while > 0.03
 *         for: 30s
 *         keep_firing_for: 1m
 *         labels: {severity: critical, team: streaming}
 *         annotations:
 *           summary: "Error rate of {{labels.stage}} is {{value}}"
 *           runbook_url: https://runbooks.example.com/high-error-rate
 *         repeat_interval: 1h           # re-notify while firing unacknowledged (default 4h, 0s never)
 *         escalate: {after: 15m, raise_severity: true, notifier: pager}
 *         notifiers: [log, webhook]     # default: every default notifier
 *         no_data_state: no_data        # no series with a value: no_data (default), alerting, ok, keep_last_state
 *         error_state: error            # evaluation failed: error (default), alerting, ok, keep_last_state
 *       - alert: ThroughputAnomaly
 *         anomaly: {expr: 'sum(rate(stream_records_processed_total[15s]))', baseline: 80, min_history: 20,
 *                   threshold: 3.5, robust: true, direction: below}
 *         for: 30s                      # about two windows: each evaluation is a test at 'threshold'
 *       - alert: ThroughputHalved
 *         rate_of_change: {expr: 'sum(rate(stream_records_processed_total[1m]))', window: 5m, change: '< -50'}
 *       - alert: QueueFillingUp
 *         trend: {expr: 'last(stream_queue_size)', window: 10m, horizon: 10m, predict: '>= 10000'}
 *       - alert: ParseStageDead
 *         absent: {series: 'stream_records_processed_total{stage="parse"}', after: 2m}
 *       - alert: ParseLatencySlo
 *         slo:
 *           objective: 99.9%
 *           latency: {histogram: 'stream_processing_latency_seconds{stage="parse"}', bound: 0.25}
 *           # or good: 'requests_total{code!~"5.."}'  total: requests_total
 *           by: [stage]
 *           windows:                    # default: the SRE workbook's 1h/5m 14.4, 6h/30m 6, 3d/6h 1
 *             - {long: 1h, short: 5m, burn_rate: 14.4, severity: critical}
 * }</pre>
 *
 * Inside a {@code {...}} flow mapping an expression is quoted, as above: its brackets and commas are YAML syntax there.
 * Numbers are finite decimals ({@link ExprParser#number}); durations are checked by {@link Durations#parse}; a
 * {@code for} is {@code 0s} or at least the interval its rule is evaluated at ({@link #load(Path, Duration)}). Input
 * is bounded (size, nesting, aliases, expression depth and length), and duplicate keys are errors.
 *
 * <p>A malformed file fails as a whole with one {@link RuleFileException} naming the file, the line, the rule, the
 * field and the problem, with values as the file spells them ({@code 30s}, not {@code PT30S}).
 */
public final class RuleFile {
    private static final Set<String> GROUP_FIELDS = Set.of("name", "interval", "rules");
    private static final Set<String> RULE_FIELDS = Set.of("alert", "expr", "resolve", "anomaly", "rate_of_change",
            "trend", "absent", "slo", "for", "keep_firing_for", "labels", "annotations", "repeat_interval", "escalate",
            "notifiers", "no_data_state", "error_state");
    private static final List<String> KINDS = List.of("expr", "anomaly", "rate_of_change", "trend", "absent", "slo");
    private static final Pattern COMPARISON = Pattern.compile("\\s*(>=|<=|==|!=|>|<)\\s*(\\S+)\\s*");

    private RuleFile() {
    }

    /**
     * Loads a rule file. Without the evaluation interval, a {@code for} is checked only against its group's
     * {@code interval}; {@link #load(Path, Duration)} checks it against the evaluator's as well.
     *
     * @throws RuleFileException naming the file, the line and the problem
     */
    public static List<RuleGroup> load(Path file) {
        return load(file, null);
    }

    /**
     * Loads a rule file for an evaluator that evaluates every {@code evaluationInterval}: a group's {@code interval}
     * shorter than that, or a {@code for} other than 0 shorter than the interval its rule is evaluated at, is an error
     * (an alert goes from pending to firing at an evaluation, so it could not be honoured).
     *
     * @param evaluationInterval the evaluator's interval, or null not to check against it
     * @throws RuleFileException naming the file, the line and the problem
     */
    public static List<RuleGroup> load(Path file, Duration evaluationInterval) {
        String text = BoundedYaml.read(file);
        return parse(file, text, evaluationInterval);
    }

    /**
     * Loads a rule file from the class path: {@code resource} as {@code anchor.getResourceAsStream} finds it (a name
     * starting with {@code /} is absolute). Errors name the resource.
     *
     * @throws RuleFileException naming the resource, the line and the problem (also when it is missing)
     */
    public static List<RuleGroup> loadResource(Class<?> anchor, String resource) {
        Path name = Path.of(resource.startsWith("/") ? resource.substring(1) : resource);
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new RuleFileException(name, 0, "rule file resource not found on the class path", null);
            }
            return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RuleFileException(name, 0, "cannot read rule file resource: " + e, e);
        }
    }

    /**
     * Parses rule file text; {@code file} only names it in errors.
     *
     * @throws RuleFileException naming the file, the line and the problem
     */
    public static List<RuleGroup> parse(Path file, String text) {
        return parse(file, text, null);
    }

    /**
     * Parses rule file text for an evaluator that evaluates every {@code evaluationInterval} (see
     * {@link #load(Path, Duration)}); {@code file} only names it in errors.
     *
     * @param evaluationInterval the evaluator's interval, or null not to check against it
     * @throws RuleFileException naming the file, the line and the problem
     */
    public static List<RuleGroup> parse(Path file, String text, Duration evaluationInterval) {
        Node root = BoundedYaml.compose(file, text);
        YamlMap top = new YamlMap(file, root, "rule file").allow(Set.of("groups"));
        if (!top.has("groups")) {
            throw top.fail("rule file needs 'groups'");
        }
        List<RuleGroup> groups = new ArrayList<>();
        Set<String> ruleNames = new HashSet<>();
        for (Node groupNode : top.list("groups")) {
            String groupName = YamlMap.peek(groupNode, "name");
            YamlMap group = new YamlMap(file, groupNode, groupName == null ? "group" : "group '" + groupName + "'")
                    .allow(GROUP_FIELDS);
            String name = group.string("name");
            Duration interval = group.has("interval") ? group.positiveDuration("interval") : null;
            if (interval != null && evaluationInterval != null && interval.compareTo(evaluationInterval) < 0) {
                throw group.invalid("interval", "(" + group.string("interval") + ") is shorter than the evaluation"
                        + " interval (" + Durations.format(evaluationInterval) + ")");
            }
            List<AlertRule> rules = new ArrayList<>();
            for (Node ruleNode : group.list("rules")) {
                String alert = YamlMap.peek(ruleNode, "alert");
                YamlMap rule = new YamlMap(file, ruleNode, alert == null ? "rule" : "rule '" + alert + "'")
                        .allow(RULE_FIELDS);
                AlertRule parsed = rule(rule, interval != null ? interval : evaluationInterval);
                if (!ruleNames.add(parsed.name())) {
                    throw rule.fail(ruleNode, "duplicate alert rule name '" + parsed.name() + "'");
                }
                rules.add(parsed);
            }
            groups.add(new RuleGroup(name, interval, rules));
        }
        return groups;
    }

    /** @param evaluationInterval how often the rule is evaluated (its group's interval or the evaluator's), or null */
    private static AlertRule rule(YamlMap yaml, Duration evaluationInterval) {
        String name = yaml.string("alert");
        List<String> kinds = KINDS.stream().filter(yaml::has).toList();
        if (kinds.size() != 1) {
            throw yaml.fail("rule '" + name + "' needs exactly one of "
                    + KINDS + (kinds.isEmpty() ? "" : ", got " + kinds));
        }
        String kind = kinds.get(0);
        if (yaml.has("resolve") && !kind.equals("expr")) {
            throw yaml.failAt("resolve", "'resolve' of " + yaml.what() + " only applies to threshold rules (expr)");
        }
        Duration forDuration = yaml.duration("for", Duration.ZERO);
        if (evaluationInterval != null && !forDuration.isZero() && forDuration.compareTo(evaluationInterval) < 0) {
            // pending -> firing is decided at evaluations: a shorter 'for' would silently mean one interval
            throw yaml.invalid("for", "(" + yaml.string("for") + ") is shorter than the evaluation interval ("
                    + Durations.format(evaluationInterval) + ") and cannot be honoured: use 0s to fire at once, or at"
                    + " least " + Durations.format(evaluationInterval));
        }
        try {
            AlertRule.Builder builder = AlertRule.builder(name)
                    .condition(condition(yaml, kind))
                    .forDuration(forDuration)
                    .keepFiringFor(yaml.duration("keep_firing_for", Duration.ZERO))
                    .repeatInterval(yaml.duration("repeat_interval", AlertRule.DEFAULT_REPEAT_INTERVAL))
                    .notifiers(yaml.stringList("notifiers").toArray(String[]::new))
                    .noDataState(yaml.has("no_data_state") ? yaml.parse("no_data_state", NoDataState::parse)
                            : NoDataState.NO_DATA)
                    .errorState(yaml.has("error_state") ? yaml.parse("error_state", ErrorState::parse)
                            : ErrorState.ERROR);
            if (yaml.has("labels")) {
                YamlMap labels = yaml.map("labels");
                for (String label : labels.keys()) {
                    labels.parse(label, value -> builder.label(label, value));
                }
            }
            if (yaml.has("annotations")) {
                YamlMap annotations = yaml.map("annotations");
                for (String annotation : annotations.keys()) {
                    annotations.parse(annotation, value -> builder.annotation(annotation, value));
                }
            }
            if (yaml.has("escalate")) {
                YamlMap escalate = yaml.map("escalate").allow(Set.of("after", "raise_severity", "notifier"));
                boolean raise = escalate.bool("raise_severity", false);
                String notifier = escalate.string("notifier", null);
                if (!raise && notifier == null) {
                    throw escalate.fail(escalate.what() + " needs raise_severity: true or a notifier");
                }
                builder.escalation(new Escalation(escalate.positiveDuration("after"), raise, notifier));
            }
            return builder.build();
        } catch (RuleFileException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw yaml.fail(yaml.what() + ": " + e.getMessage());
        }
    }

    private static RuleCondition condition(YamlMap yaml, String kind) {
        switch (kind) {
            case "expr": {
                ThresholdCondition threshold = yaml.parse("expr", ThresholdCondition::of);
                return yaml.has("resolve") ? yaml.parse("resolve", text -> threshold.resolveAt(ExprParser.number(text)))
                        : threshold;
            }
            case "anomaly": {
                YamlMap a = yaml.map(kind).allow(Set.of("expr", "baseline", "min_history", "threshold", "robust", "direction"));
                int baseline = a.integer("baseline", 60);
                if (baseline < 2) {
                    throw a.invalid("baseline", "must be at least 2 evaluations, got " + baseline);
                }
                int minHistory = a.integer("min_history", 30);
                if (minHistory < 2 || minHistory > baseline) {
                    throw a.has("min_history")
                            ? a.invalid("min_history", "must be between 2 and the baseline (" + baseline + "), got "
                            + minHistory)
                            : a.invalid("baseline", "must be at least min_history (30 unless set), got " + baseline);
                }
                double threshold = a.number("threshold", 3);
                if (!(threshold > 0)) {
                    throw a.invalid("threshold", "must be positive, got " + a.string("threshold"));
                }
                AnomalyCondition.Builder builder = a.parse("expr", AnomalyCondition::builder)
                        .baseline(baseline)
                        .minHistory(minHistory)
                        .threshold(threshold)
                        .robust(a.bool("robust", false));
                if (a.has("direction")) {
                    builder.direction(a.parse("direction", RuleFile::direction));
                }
                return builder.build();
            }
            case "rate_of_change": {
                YamlMap r = yaml.map(kind).allow(Set.of("expr", "window", "change"));
                Object[] change = comparison(r, "change");
                Duration window = r.positiveDuration("window");
                return r.parse("expr", expr -> RateOfChangeCondition.of(expr, window, (Comparison) change[0],
                        (double) change[1]));
            }
            case "trend": {
                YamlMap t = yaml.map(kind).allow(Set.of("expr", "window", "horizon", "predict"));
                Object[] predict = comparison(t, "predict");
                Duration window = t.positiveDuration("window");
                Duration horizon = required(t, "horizon");
                return t.parse("expr", expr -> TrendCondition.of(expr, window, horizon, (Comparison) predict[0],
                        (double) predict[1]));
            }
            case "absent": {
                YamlMap a = yaml.map(kind).allow(Set.of("series", "after"));
                Duration after = a.positiveDuration("after");
                return a.parse("series", series -> AbsenceCondition.of(series, after));
            }
            default:
                return slo(yaml.map(kind).allow(Set.of("objective", "good", "total", "latency", "by", "windows")));
        }
    }

    private static AnomalyCondition.Direction direction(String text) {
        for (AnomalyCondition.Direction direction : AnomalyCondition.Direction.values()) {
            if (direction.name().equalsIgnoreCase(text)) {
                return direction;
            }
        }
        throw new IllegalArgumentException("expected above, below or both, got '" + text + "'");
    }

    private static BurnRateCondition slo(YamlMap slo) {
        double objective = slo.requiredNumber("objective");
        if (!(objective > 0 && objective < 1)) {
            throw slo.invalid("objective", "must be between 0 and 1 (99.9% or 0.999), got '" + slo.string("objective")
                    + "'");
        }
        BurnRateCondition.Builder builder = BurnRateCondition.builder().objective(objective);
        if (slo.has("latency")) {
            if (slo.has("good") || slo.has("total")) {
                throw slo.fail(slo.what() + " needs either 'latency' or 'good' and 'total', not both");
            }
            YamlMap latency = slo.map("latency").allow(Set.of("histogram", "bound"));
            String histogram = latency.string("histogram");
            latency.parse("histogram", ExprParser::parse);
            double bound = latency.requiredNumber("bound");
            if (!(bound > 0)) {
                throw latency.invalid("bound", "must be positive (seconds), got '" + latency.string("bound") + "'");
            }
            builder.latency(histogram, bound);
        } else {
            if (!slo.has("good") && !slo.has("total")) {
                throw slo.fail(slo.what() + " needs 'latency' (a histogram and a bound) or 'good' and 'total'");
            }
            slo.parse("good", ExprParser::parse);
            slo.parse("total", ExprParser::parse);
            builder.ratio(slo.string("good"), slo.string("total"));
        }
        builder.by(slo.stringList("by").toArray(String[]::new));
        List<Node> windows = slo.list("windows");
        for (int i = 0; i < windows.size(); i++) {
            YamlMap window = slo.item(windows.get(i), "window " + (i + 1) + " of " + slo.what())
                    .allow(Set.of("long", "short", "burn_rate", "severity"));
            Duration longWindow = window.positiveDuration("long");
            Duration shortWindow = window.positiveDuration("short");
            if (shortWindow.compareTo(longWindow) >= 0) {
                throw window.invalid("short", "(" + window.string("short") + ") must be shorter than 'long' ("
                        + window.string("long") + ")");
            }
            double burnRate = window.requiredNumber("burn_rate");
            if (!(burnRate > 0)) {
                throw window.invalid("burn_rate", "must be positive, got '" + window.string("burn_rate") + "'");
            }
            Severity severity = window.has("severity") ? window.parse("severity", Severity::parse) : Severity.CRITICAL;
            builder.window(new BurnWindow(longWindow, shortWindow, burnRate, severity));
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw slo.fail(slo.what() + ": " + e.getMessage());
        }
    }

    private static Duration required(YamlMap yaml, String key) {
        return yaml.parse(key, Durations::parse);
    }

    /** {@code "< -50"}: the comparison and the number. */
    private static Object[] comparison(YamlMap yaml, String key) {
        return yaml.parse(key, text -> {
            Matcher matcher = COMPARISON.matcher(text);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("expected a comparison and a number such as \"< -50\", got '" + text + "'");
            }
            return new Object[]{Comparison.parse(matcher.group(1)), ExprParser.number(matcher.group(2))};
        });
    }
}
