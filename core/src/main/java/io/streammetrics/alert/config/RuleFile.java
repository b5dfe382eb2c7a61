package io.streammetrics.alert.config;

import io.streammetrics.alert.AbsenceCondition;
import io.streammetrics.alert.AlertRule;
import io.streammetrics.alert.AnomalyCondition;
import io.streammetrics.alert.BurnRateCondition;
import io.streammetrics.alert.BurnWindow;
import io.streammetrics.alert.Comparison;
import io.streammetrics.Durations;
import io.streammetrics.alert.Escalation;
import io.streammetrics.alert.RateOfChangeCondition;
import io.streammetrics.alert.RuleCondition;
import io.streammetrics.alert.RuleGroup;
import io.streammetrics.alert.Severity;
import io.streammetrics.alert.ThresholdCondition;
import io.streammetrics.alert.TrendCondition;
import io.streammetrics.alert.expr.ExprParser;
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
 *       - alert: ThroughputAnomaly
 *         anomaly: {expr: sum(rate(stream_records_processed_total[1m])), baseline: 300, min_history: 60,
 *                   threshold: 3.5, robust: true, direction: below}
 *       - alert: ThroughputHalved
 *         rate_of_change: {expr: sum(rate(stream_records_processed_total[1m])), window: 5m, change: "< -50"}
 *       - alert: QueueFillingUp
 *         trend: {expr: last(stream_queue_size), window: 10m, horizon: 10m, predict: ">= 10000"}
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
 * A malformed file fails as a whole with a {@link RuleFileException} naming the file, the line and the problem.
 */
public final class RuleFile {
    private static final Set<String> GROUP_FIELDS = Set.of("name", "interval", "rules");
    private static final Set<String> RULE_FIELDS = Set.of("alert", "expr", "resolve", "anomaly", "rate_of_change",
            "trend", "absent", "slo", "for", "keep_firing_for", "labels", "annotations", "repeat_interval", "escalate",
            "notifiers");
    private static final List<String> KINDS = List.of("expr", "anomaly", "rate_of_change", "trend", "absent", "slo");
    private static final Pattern COMPARISON = Pattern.compile("\\s*(>=|<=|==|!=|>|<)\\s*(\\S+)\\s*");

    private RuleFile() {
    }

    /**
     * Loads a rule file.
     *
     * @throws RuleFileException naming the file, the line and the problem
     */
    public static List<RuleGroup> load(Path file) {
        String text = BoundedYaml.read(file);
        return parse(file, text);
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
        Node root = BoundedYaml.compose(file, text);
        YamlMap top = new YamlMap(file, root, "rule file").allow(Set.of("groups"));
        if (!top.has("groups")) {
            throw top.fail("rule file needs 'groups'");
        }
        List<RuleGroup> groups = new ArrayList<>();
        Set<String> ruleNames = new HashSet<>();
        for (Node groupNode : top.list("groups")) {
            YamlMap group = new YamlMap(file, groupNode, "group").allow(GROUP_FIELDS);
            String name = group.string("name");
            List<AlertRule> rules = new ArrayList<>();
            for (Node ruleNode : group.list("rules")) {
                String alert = YamlMap.peek(ruleNode, "alert");
                YamlMap rule = new YamlMap(file, ruleNode, alert == null ? "rule" : "rule '" + alert + "'")
                        .allow(RULE_FIELDS);
                AlertRule parsed = rule(rule);
                if (!ruleNames.add(parsed.name())) {
                    throw rule.fail(ruleNode, "duplicate alert rule name '" + parsed.name() + "'");
                }
                rules.add(parsed);
            }
            groups.add(new RuleGroup(name, group.duration("interval", null), rules));
        }
        return groups;
    }

    private static AlertRule rule(YamlMap yaml) {
        String name = yaml.string("alert");
        List<String> kinds = KINDS.stream().filter(yaml::has).toList();
        if (kinds.size() != 1) {
            throw yaml.fail("rule '" + name + "' needs exactly one of "
                    + KINDS + (kinds.isEmpty() ? "" : ", got " + kinds));
        }
        String kind = kinds.get(0);
        if (yaml.has("resolve") && !kind.equals("expr")) {
            throw yaml.failAt("resolve", "'resolve' only applies to threshold rules (expr)");
        }
        try {
            AlertRule.Builder builder = AlertRule.builder(name)
                    .condition(condition(yaml, kind))
                    .forDuration(yaml.duration("for", Duration.ZERO))
                    .keepFiringFor(yaml.duration("keep_firing_for", Duration.ZERO))
                    .repeatInterval(yaml.duration("repeat_interval", AlertRule.DEFAULT_REPEAT_INTERVAL))
                    .notifiers(yaml.stringList("notifiers").toArray(String[]::new));
            for (Map.Entry<String, String> label : yaml.stringMap("labels").entrySet()) {
                builder.label(label.getKey(), label.getValue());
            }
            for (Map.Entry<String, String> annotation : yaml.stringMap("annotations").entrySet()) {
                builder.annotation(annotation.getKey(), annotation.getValue());
            }
            if (yaml.has("escalate")) {
                YamlMap escalate = yaml.map("escalate").allow(Set.of("after", "raise_severity", "notifier"));
                builder.escalation(new Escalation(escalate.duration("after", Duration.ZERO),
                        escalate.bool("raise_severity", false), escalate.string("notifier", null)));
            }
            return builder.build();
        } catch (RuleFileException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw yaml.fail("rule '" + name + "': " + e.getMessage());
        }
    }

    private static RuleCondition condition(YamlMap yaml, String kind) {
        switch (kind) {
            case "expr": {
                ThresholdCondition threshold = yaml.parse("expr", ThresholdCondition::of);
                return yaml.has("resolve") ? threshold.resolveAt(yaml.number("resolve", Double.NaN)) : threshold;
            }
            case "anomaly": {
                YamlMap a = yaml.map(kind).allow(Set.of("expr", "baseline", "min_history", "threshold", "robust", "direction"));
                AnomalyCondition.Builder builder = a.parse("expr", AnomalyCondition::builder)
                        .baseline(a.integer("baseline", 60))
                        .minHistory(a.integer("min_history", 30))
                        .threshold(a.number("threshold", 3))
                        .robust(a.bool("robust", false));
                if (a.has("direction")) {
                    builder.direction(a.parse("direction", text -> AnomalyCondition.Direction.valueOf(text.toUpperCase(java.util.Locale.ROOT))));
                }
                return builder.build();
            }
            case "rate_of_change": {
                YamlMap r = yaml.map(kind).allow(Set.of("expr", "window", "change"));
                Object[] change = comparison(r, "change");
                Duration window = required(r, "window");
                return r.parse("expr", expr -> RateOfChangeCondition.of(expr, window, (Comparison) change[0],
                        (double) change[1]));
            }
            case "trend": {
                YamlMap t = yaml.map(kind).allow(Set.of("expr", "window", "horizon", "predict"));
                Object[] predict = comparison(t, "predict");
                Duration window = required(t, "window");
                Duration horizon = required(t, "horizon");
                return t.parse("expr", expr -> TrendCondition.of(expr, window, horizon, (Comparison) predict[0],
                        (double) predict[1]));
            }
            case "absent": {
                YamlMap a = yaml.map(kind).allow(Set.of("series", "after"));
                Duration after = required(a, "after");
                return a.parse("series", series -> AbsenceCondition.of(series, after));
            }
            default:
                return slo(yaml.map(kind).allow(Set.of("objective", "good", "total", "latency", "by", "windows")));
        }
    }

    private static BurnRateCondition slo(YamlMap slo) {
        BurnRateCondition.Builder builder = BurnRateCondition.builder().objective(slo.number("objective", Double.NaN));
        if (slo.has("latency")) {
            YamlMap latency = slo.map("latency").allow(Set.of("histogram", "bound"));
            builder.latency(latency.string("histogram"), latency.number("bound", Double.NaN));
        } else {
            builder.ratio(slo.string("good"), slo.string("total"));
        }
        builder.by(slo.stringList("by").toArray(String[]::new));
        for (Node node : slo.list("windows")) {
            YamlMap window = slo.item(node, "SLO window").allow(Set.of("long", "short", "burn_rate", "severity"));
            builder.window(new BurnWindow(required(window, "long"), required(window, "short"),
                    window.number("burn_rate", Double.NaN), Severity.parse(window.string("severity", "critical"))));
        }
        return builder.build();
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
