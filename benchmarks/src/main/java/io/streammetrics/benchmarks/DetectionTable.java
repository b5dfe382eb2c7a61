package io.streammetrics.benchmarks;

import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.alert.Alert;
import io.streammetrics.alert.AlertEvaluator;
import io.streammetrics.alert.AlertEvent;
import io.streammetrics.alert.AlertState;
import io.streammetrics.alert.rule.RuleGroup;
import io.streammetrics.alert.config.RuleFile;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.Gauge;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The detection table of issue 18: per rule kind, how long after the windowed signal crosses its limit the alert
 * fires, how long after it uncrosses the alert resolves, and how many false alarms a 10-minute noisy benign run
 * raises. Drives the real engine and the real {@link AlertEvaluator} (rules from rule-file text) on a simulated
 * clock, one evaluation a second, so that many seeds run in seconds. Not a JMH benchmark.
 *
 * <p>Signals: a counter at 1,000/s whose per-second increments are uniform within ±15 %, a queue gauge at 1,000 ±
 * 100, and 1,000 requests a second of which 0.1 % fail. Faults (from second 300): the counter drops to 20 % (for 2
 * minutes; 5 minutes for the anomaly rules), stops (absence), the queue grows by 50/s (trend), 20 % of the requests
 * fail (SLO). "Crosses" is when the same rule with {@code for: 0s} first holds on the noise-free signal, and
 * "uncrosses" when it stops: the window arithmetic; the delays are measured on the noisy signal with the rule's own
 * {@code for}, from those instants.
 *
 * <pre>java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     io.streammetrics.benchmarks.DetectionTable [seeds [kinds-regex]]</pre>
 */
public final class DetectionTable {
    private static final long START = 1_700_000_000_000L;
    private static final int FAULT_FROM = 300;
    private static final int RUN = 720;
    private static final int BENIGN = 600;

    private DetectionTable() {
    }

    /** How the signals behave in one second of a run. */
    private enum Fault {
        NONE, DROP, STOP, GROW, ERRORS
    }

    /** One rule kind: its rule text (with {@code FOR} for its for), fault and fault length. */
    private record Kind(String name, String rule, String forDuration, Fault fault, int faultSeconds) {
        String text(String forValue) {
            return """
                    groups:
                      - name: detection
                        rules:
                          - alert: Probe
                    """ + rule.indent(8) + "        for: " + forValue + "\n";
        }
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("threshold", "expr: 'rate(records_total[5s]) < 500'", "5s", Fault.DROP, 120),
            new Kind("anomaly (z-score)", """
                    anomaly: {expr: 'rate(records_total[5s])', baseline: 60, min_history: 30, threshold: 3}""",
                    "10s", Fault.DROP, 300),
            new Kind("anomaly (robust)", """
                    anomaly: {expr: 'rate(records_total[5s])', baseline: 60, min_history: 30, threshold: 3.5,
                              robust: true}""", "10s", Fault.DROP, 300),
            new Kind("anomaly (z-score), no for", """
                    anomaly: {expr: 'rate(records_total[5s])', baseline: 60, min_history: 30, threshold: 3}""",
                    "0s", Fault.DROP, 300),
            new Kind("anomaly (robust), no for", """
                    anomaly: {expr: 'rate(records_total[5s])', baseline: 60, min_history: 30, threshold: 3.5,
                              robust: true}""", "0s", Fault.DROP, 300),
            new Kind("rate_of_change", """
                    rate_of_change: {expr: 'rate(records_total[5s])', window: 30s, change: '< -50'}""", "5s",
                    Fault.DROP, 120),
            new Kind("trend", """
                    trend: {expr: 'last(queue)', window: 60s, horizon: 60s, predict: '>= 5000'}""", "5s",
                    Fault.GROW, 120),
            new Kind("absent", "absent: {series: 'records_total', after: 10s}", "0s", Fault.STOP, 120),
            new Kind("slo (burn rate)", """
                    slo:
                      objective: 99%
                      good: requests_good_total
                      total: requests_total
                      windows: [{long: 1m, short: 5s, burn_rate: 10}]""", "5s", Fault.ERRORS, 120));

    /** What one run saw: the seconds at which the alert fired, and at which it stopped being active. */
    private record Run(List<Integer> firing, List<Integer> active) {
        /** The first second at or after {@code from} at which {@code seconds} has an entry, or -1. */
        static int firstFrom(List<Integer> seconds, int from) {
            for (int second : seconds) {
                if (second >= from) {
                    return second;
                }
            }
            return -1;
        }
    }

    /**
     * Runs {@code seconds} of signal with one rule; {@code fault} from {@link #FAULT_FROM} for {@code faultSeconds}.
     *
     * @param noisy whether the signals carry their noise
     */
    private static Run run(String ruleText, Fault fault, int faultSeconds, int seconds, boolean noisy, long seed) {
        TickClock clock = new TickClock(START);
        SplittableRandom random = new SplittableRandom(seed);
        List<RuleGroup> rules = RuleFile.parse(Path.of("detection.yaml"), ruleText);
        try (MetricsEngine engine = MetricsEngine.builder().clock(clock).backPressure(BackPressure.BLOCK)
                .jvmMetrics(false).build().start()) {
            Counter records = engine.counter("records").register().labels();
            Gauge queue = engine.gauge("queue").register().labels();
            Counter requests = engine.counter("requests").register().labels();
            Counter good = engine.counter("requests_good").register().labels();
            AlertEvaluator.Builder builder = AlertEvaluator.builder().engine(engine);
            rules.forEach(builder::ruleGroup);
            List<Integer> firing = new ArrayList<>();
            List<Integer> active = new ArrayList<>();
            double queueLevel = 1000;
            try (AlertEvaluator evaluator = builder.build()) {
                for (int second = 1; second <= seconds; second++) {
                    boolean on = second > FAULT_FROM && second <= FAULT_FROM + faultSeconds;
                    double noise = noisy ? 0.15 * (2 * random.nextDouble() - 1) : 0;
                    if (!(on && fault == Fault.STOP)) {
                        records.add(Math.max(1, Math.round(1000 * (on && fault == Fault.DROP ? 0.2 : 1) * (1 + noise))));
                    }
                    queueLevel = on && fault == Fault.GROW ? queueLevel + 50 : 1000;
                    queue.set(queueLevel + (noisy ? 100 * (2 * random.nextDouble() - 1) : 0));
                    double errorShare = on && fault == Fault.ERRORS ? 0.2 : 0.001;
                    long failed = noisy ? binomial(random, 1000, errorShare) : Math.round(1000 * errorShare);
                    requests.add(1000);
                    good.add(1000 - failed);
                    clock.advance(1000);
                    int before = evaluator.history().size();
                    evaluator.evaluateOnce();
                    List<AlertEvent> history = evaluator.history();
                    for (AlertEvent event : history.subList(Math.min(before, history.size()), history.size())) {
                        if (event.kind() == AlertEvent.Kind.FIRING) {
                            firing.add(second);
                        }
                    }
                    boolean isActive = false;
                    for (Alert alert : evaluator.activeAlerts()) {
                        isActive |= alert.state() == AlertState.FIRING;
                    }
                    if (isActive) {
                        active.add(second);
                    }
                }
            }
            return new Run(firing, active);
        }
    }

    private static long binomial(SplittableRandom random, int n, double p) {
        long count = 0;
        for (int i = 0; i < n; i++) {
            count += random.nextDouble() < p ? 1 : 0;
        }
        return count;
    }

    /** The first second at or after {@code from} not in {@code active} (sorted), or -1. */
    private static int firstInactive(List<Integer> active, int from) {
        int second = from;
        for (int s : active) {
            if (s < second) {
                continue;
            }
            if (s != second) {
                return second;
            }
            second++;
        }
        return second <= RUN ? second : -1;
    }

    /** Arguments: seeds per kind (default 10), and a regular expression the kinds to run must contain (default all). */
    public static void main(String[] args) {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        java.util.regex.Pattern only = java.util.regex.Pattern.compile(args.length > 1 ? args[1] : "");
        System.out.printf(Locale.ROOT, "%d seeds per kind; 1 s evaluations on a simulated clock; fault from second %d%n%n",
                seeds, FAULT_FROM);
        System.out.println("| rule kind | rule | for | crosses after fault start (s) | detection delay after crossing,"
                + " median / max (s) | uncrosses after fault end (s) | resolve delay after uncrossing, median / max (s)"
                + " | false alarms in " + seeds + " × 10 min benign |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Kind kind : KINDS) {
            if (!only.matcher(kind.name()).find()) {
                continue;
            }
            Run ideal = run(kind.text("0s"), kind.fault(), kind.faultSeconds(), RUN, false, 0);
            int crosses = Run.firstFrom(ideal.active(), FAULT_FROM + 1);
            int uncrosses = firstInactive(ideal.active(), crosses);
            int[] detection = new int[seeds];
            int[] resolve = new int[seeds];
            int falseAlarms = 0;
            for (int seed = 0; seed < seeds; seed++) {
                Run noisy = run(kind.text(kind.forDuration()), kind.fault(), kind.faultSeconds(), RUN, true, seed + 1);
                int fired = Run.firstFrom(noisy.firing(), FAULT_FROM + 1);
                detection[seed] = fired < 0 ? Integer.MAX_VALUE : fired - crosses;
                int resolved = fired < 0 ? -1 : firstInactive(noisy.active(), fired);
                resolve[seed] = resolved < 0 ? Integer.MAX_VALUE : resolved - uncrosses;
                Run benign = run(kind.text(kind.forDuration()), Fault.NONE, 0, BENIGN, true, 1000 + seed);
                falseAlarms += benign.firing().size();
            }
            System.out.printf(Locale.ROOT, "| %s | `%s` | %s | %d | %s | %d | %s | %d |%n", kind.name(),
                    kind.rule().replace("\n", " ").replaceAll(" +", " "), kind.forDuration(), crosses - FAULT_FROM,
                    spread(detection), uncrosses - FAULT_FROM - kind.faultSeconds(), spread(resolve), falseAlarms);
        }
    }

    private static String spread(int[] values) {
        int[] sorted = values.clone();
        Arrays.sort(sorted);
        int max = sorted[sorted.length - 1];
        return fmt(sorted[sorted.length / 2]) + " / " + fmt(max);
    }

    private static String fmt(int value) {
        return value == Integer.MAX_VALUE ? "never" : Integer.toString(value);
    }
}
