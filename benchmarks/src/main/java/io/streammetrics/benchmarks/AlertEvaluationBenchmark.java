package io.streammetrics.benchmarks;

import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import io.streammetrics.alert.rule.AbsenceCondition;
import io.streammetrics.alert.AlertEvaluator;
import io.streammetrics.alert.AlertNotifier;
import io.streammetrics.alert.rule.AlertRule;
import io.streammetrics.alert.rule.AnomalyCondition;
import io.streammetrics.alert.rule.BurnRateCondition;
import io.streammetrics.alert.expr.Comparison;
import io.streammetrics.alert.rule.RateOfChangeCondition;
import io.streammetrics.alert.rule.RuleCondition;
import io.streammetrics.alert.rule.Severity;
import io.streammetrics.alert.rule.ThresholdCondition;
import io.streammetrics.alert.rule.TrendCondition;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.CounterFamily;
import io.streammetrics.metric.Gauge;
import io.streammetrics.metric.GaugeFamily;
import io.streammetrics.metric.Timer;
import io.streammetrics.metric.TimerFamily;
import io.streammetrics.snapshot.MetricsSnapshot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One alert evaluation ({@link AlertEvaluator#evaluateOnce()}: snapshot, windows, every rule, alert lifecycle) of
 * 1,000 rules over 10,000 series, against the 1 s evaluation interval it must fit in many times over; and, as its
 * own row, the engine snapshot the evaluation starts with, so that the evaluator's share can be told apart.
 *
 * <p>The series: 50 stages of a pipeline, each with 40 shards of {@code bench_records_total},
 * {@code bench_errors_total}, {@code bench_bytes_total} (read by no rule, as in a real process most series are not
 * alerted on), {@code bench_queue_size} and 30 of {@code bench_inflight}, and 10 shards of the timer
 * {@code bench_latency}: 10,000 series, 500 of them histograms. The rules, 20 a stage: a warning and a critical
 * threshold on each of nine expressions ({@code rate} of a counter per shard, an error ratio of two aggregated rates,
 * {@code increase}, windowed {@code quantile}s over 30 s and 1 min, {@code avg_over_time} and
 * {@code max_over_time} of a gauge, {@code sum by (stage)} of a rate, the last value of a gauge), a mean latency
 * from the timer's {@code _sum} and {@code _count} rates, then one of anomaly (half of them robust), trend, absence,
 * rate of change or SLO burn rate (latency SLO, the default three window pairs up to 3 days). The snapshot also
 * holds the engine's and the evaluator's self-metrics (about 2,000 more series: {@code streammetrics_alerts} per
 * rule and state). One stage stops processing and some gauges cross their thresholds in turn, so that
 * alerts go pending, fire and resolve during the run as they would in production.
 *
 * <p>Every invocation is one evaluation tick: the setup (not measured) moves the shared clock on by the 1 s
 * interval, records one tick of traffic into every series and waits until the engine applied it, so that the
 * measured snapshot neither waits for the aggregator nor sees the same values twice. Before measuring, the trial
 * runs {@code history} ticks (default 300: the 5 min windows full) so that windows and baselines are at their
 * steady-state size. Run with {@code -prof gc} for the allocation per evaluation, and read it with this in mind:
 * the profiler counts every thread's allocation during an iteration, the invocation setup's included, so each row's
 * {@code B/op} carries one extra snapshot (the setup's wait for the tick to be applied takes one). The
 * {@code snapshotOnly} row is therefore two snapshots: one snapshot is half of it, and an evaluation is the
 * {@code evaluateOnce} row minus that half.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// Long iterations: an operation takes tens of milliseconds, plus a tick of recording before each.
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx2g"})
@State(Scope.Benchmark)
public class AlertEvaluationBenchmark {
    private static final int STAGES = 50;
    private static final int SHARDS = 40;
    private static final int INFLIGHT_SHARDS = 30;
    private static final int LATENCY_SHARDS = 10;
    private static final int LATENCIES_PER_TICK = 5;
    /** The stage whose records stop: its absence and low-throughput alerts fire. */
    private static final int DEAD_STAGE = 47;
    private static final long INTERVAL_MILLIS = 1000;

    /** Evaluation ticks run at trial setup, before measuring: 300 fills the 5 min windows. */
    @Param({"300"})
    public int history;

    private final TickClock clock = new TickClock(1_700_000_000_000L);
    private MetricsEngine engine;
    private AlertEvaluator evaluator;
    private final List<Counter> records = new ArrayList<>();
    private final List<Counter> errors = new ArrayList<>();
    private final List<Counter> bytes = new ArrayList<>();
    private final List<Gauge> queues = new ArrayList<>();
    private final List<Gauge> inflight = new ArrayList<>();
    private final List<Timer> latencies = new ArrayList<>();
    private long tick;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        // BLOCK: every tick's records land, so each evaluation sees the traffic the rules are written for.
        engine = MetricsEngine.builder().clock(clock).maxSeries(14_000).maxHistograms(600).cardinalityLimit(5_000)
                .backPressure(BackPressure.BLOCK).jvmMetrics(false).build().start();
        registerSeries();
        AlertEvaluator.Builder rules = AlertEvaluator.builder().engine(engine).clock(clock)
                .notifier(AlertNotifier.listener("discard", event -> { }));
        for (int stage = 0; stage < STAGES; stage++) {
            addRules(rules, stage);
        }
        evaluator = rules.build();
        // The snapshot row reads no window: filling them would only lengthen its setup.
        int ticks = params.getBenchmark().endsWith(".snapshotOnly") ? 0 : history;
        for (int i = 0; i < ticks; i++) {
            nextTick();
            evaluator.evaluateOnce();
        }
    }

    private void registerSeries() {
        CounterFamily recordFamily = engine.counter("bench_records").help("Records.").labelNames("stage", "shard").register();
        CounterFamily errorFamily = engine.counter("bench_errors").help("Errors.").labelNames("stage", "shard").register();
        CounterFamily byteFamily = engine.counter("bench_bytes").help("Bytes.").labelNames("stage", "shard").register();
        GaugeFamily queueFamily = engine.gauge("bench_queue_size").help("Queue.").labelNames("stage", "shard").register();
        GaugeFamily inflightFamily = engine.gauge("bench_inflight").help("In flight.").labelNames("stage", "shard").register();
        TimerFamily latencyFamily = engine.timer("bench_latency").help("Latency.").labelNames("stage", "shard").register();
        for (int stage = 0; stage < STAGES; stage++) {
            for (int shard = 0; shard < SHARDS; shard++) {
                String s = stage(stage);
                String h = Integer.toString(shard);
                records.add(recordFamily.labels(s, h));
                errors.add(errorFamily.labels(s, h));
                bytes.add(byteFamily.labels(s, h));
                queues.add(queueFamily.labels(s, h));
                if (shard < INFLIGHT_SHARDS) {
                    inflight.add(inflightFamily.labels(s, h));
                }
                if (shard < LATENCY_SHARDS) {
                    latencies.add(latencyFamily.labels(s, h));
                }
            }
        }
    }

    private static String stage(int stage) {
        return String.format("s%02d", stage);
    }

    private static void addRules(AlertEvaluator.Builder rules, int stage) {
        String s = "{stage=\"" + stage(stage) + "\"}";
        String[][] thresholds = {
                {"ThroughputLow", "rate(bench_records_total" + s + "[1m]) < ", "50", "10"},
                {"ErrorRatio", "sum by (stage) (rate(bench_errors_total" + s + "[5m])) / sum by (stage) "
                        + "(rate(bench_records_total" + s + "[5m])) > ", "0.05", "0.2"},
                {"ErrorBurst", "increase(bench_errors_total" + s + "[5m]) > ", "1000", "5000"},
                {"LatencyP99", "quantile(0.99, bench_latency_seconds" + s + "[1m]) > ", "0.5", "1"},
                {"LatencyP50", "quantile(0.5, bench_latency_seconds" + s + "[30s]) > ", "0.1", "0.25"},
                {"QueueAvg", "avg_over_time(bench_queue_size" + s + "[5m]) > ", "800", "950"},
                {"QueuePeak", "max_over_time(bench_queue_size" + s + "[1m]) > ", "990", "999"},
                {"StageThroughputLow", "sum by (stage) (rate(bench_records_total" + s + "[1m])) < ", "2000", "400"},
                {"InflightHigh", "last(bench_inflight" + s + ") > ", "500", "900"},
        };
        for (String[] threshold : thresholds) {
            rules.rule(rule(threshold[0] + "Warning_" + stage, ThresholdCondition.of(threshold[1] + threshold[2]))
                    .severity(Severity.WARNING).build());
            rules.rule(rule(threshold[0] + "Critical_" + stage, ThresholdCondition.of(threshold[1] + threshold[3]))
                    .severity(Severity.CRITICAL).build());
        }
        rules.rule(rule("LatencyAvg_" + stage, ThresholdCondition.of("sum by (stage) (rate(bench_latency_seconds_sum"
                + s + "[1m])) / sum by (stage) (rate(bench_latency_seconds_count" + s + "[1m])) > 0.05"))
                .severity(Severity.WARNING).build());
        String throughput = "sum by (stage) (rate(bench_records_total" + s + "[1m]))";
        RuleCondition special = switch (stage % 10) {
            case 0, 1 -> AnomalyCondition.builder(throughput).robust(stage % 2 == 0).build();
            case 2, 3 -> AnomalyCondition.builder("quantile(0.99, bench_latency_seconds" + s + "[1m])")
                    .robust(stage % 2 == 0).direction(AnomalyCondition.Direction.ABOVE).build();
            case 4, 5 -> TrendCondition.of("last(bench_queue_size" + s + ")", Duration.ofMinutes(5),
                    Duration.ofMinutes(10), Comparison.GREATER_OR_EQUAL, 1000);
            case 6, 7 -> AbsenceCondition.of("bench_records_total" + s, Duration.ofMinutes(2));
            case 8 -> RateOfChangeCondition.of(throughput, Duration.ofMinutes(5), Comparison.LESS, -50);
            default -> BurnRateCondition.builder().latency("bench_latency_seconds" + s, 0.025).objective(0.999)
                    .by("stage").build();
        };
        rules.rule(rule("Special_" + stage, special).severity(Severity.WARNING).build());
    }

    private static AlertRule.Builder rule(String name, RuleCondition condition) {
        return AlertRule.builder(name).condition(condition).forDuration(Duration.ofMinutes(1))
                .summary("{{labels.stage}} shard {{labels.shard}}: {{value}}")
                .runbook("https://runbooks.example/" + name);
    }

    /** One interval of traffic: every live series moves, latencies of 2 to 8 ms, a queue that breathes. */
    private void nextTick() {
        clock.advance(INTERVAL_MILLIS);
        tick++;
        for (int i = 0; i < records.size(); i++) {
            if (i / SHARDS != DEAD_STAGE) {
                records.get(i).add(80 + (i + tick) % 40);
                bytes.get(i).add(4096);
            }
            if ((i + tick) % 7 == 0) {
                errors.get(i).increment();
            }
            queues.get(i).set(500 + 400 * Math.sin((i + tick) / 30.0));
        }
        for (int i = 0; i < inflight.size(); i++) {
            inflight.get(i).set((i * 31 + tick) % 600);
        }
        for (int i = 0; i < latencies.size(); i++) {
            for (int v = 0; v < LATENCIES_PER_TICK; v++) {
                latencies.get(i).record(2_000_000 + ((i * 7919L + tick * 104_729L + v * 1_000_003L) % 6_000_000));
            }
        }
        // Waits until the aggregator applied the tick, so the measured snapshot does not wait for it.
        engine.snapshot();
    }

    @Setup(Level.Invocation)
    public void tick() {
        nextTick();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        evaluator.close();
        engine.close();
    }

    /** One evaluation of every rule, the snapshot included. */
    @Benchmark
    public int evaluateOnce() {
        evaluator.evaluateOnce();
        return evaluator.activeAlerts().size();
    }

    /** The snapshot alone, as {@link #evaluateOnce()} takes it first. */
    @Benchmark
    public MetricsSnapshot snapshotOnly() {
        return engine.snapshot();
    }
}
