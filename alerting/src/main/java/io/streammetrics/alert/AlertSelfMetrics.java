package io.streammetrics.alert;

import io.streammetrics.MetricsEngine;
import io.streammetrics.common.Unit;
import io.streammetrics.metric.Counter;
import io.streammetrics.metric.CounterFamily;
import io.streammetrics.metric.GaugeFamily;
import io.streammetrics.metric.Timer;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The evaluator's own metrics in the engine, so that a scrape shows them: {@code streammetrics_alerts{alertname,
 * alertstate}} (alerts pending and firing per rule, as Prometheus' {@code ALERTS}), {@code
 * streammetrics_notifications_total{notifier, result}} (sent, failed, dropped), {@code
 * streammetrics_rule_evaluation_failures_total{rule}} (a series per rule from its load on, at 0 until it fails, so
 * that {@code increase()} over it works from the start), {@code streammetrics_rule_reloads_total{result}}, and the
 * loop itself, as Prometheus' {@code prometheus_rule_group_*}: {@code streammetrics_rule_evaluation_duration_seconds}
 * (a timer of whole evaluations, snapshot included), {@code streammetrics_rule_last_evaluation_timestamp_seconds}
 * (0 before the first) and {@code streammetrics_rule_evaluation_ticks_skipped_total} (ticks passed over because an
 * evaluation ran late). Without an engine every method does nothing.
 */
final class AlertSelfMetrics {
    private final GaugeFamily alerts;
    private final CounterFamily notifications;
    private final CounterFamily failures;
    private final CounterFamily reloads;
    private final Timer duration;
    private final Counter skipped;
    private volatile double lastEvaluationSeconds;
    private final Set<String> registeredRules = new HashSet<>();
    private volatile Map<String, int[]> counts = Map.of();

    AlertSelfMetrics(MetricsEngine engine) {
        if (engine == null) {
            alerts = null;
            notifications = null;
            failures = null;
            reloads = null;
            duration = null;
            skipped = null;
            return;
        }
        alerts = engine.gauge("streammetrics_alerts")
                .help("Alerts pending and firing, by rule (as Prometheus' ALERTS).")
                .labelNames("alertname", "alertstate").register();
        notifications = engine.counter("streammetrics_notifications")
                .help("Alert notifications by notifier and result (sent, failed, dropped).")
                .labelNames("notifier", "result").register();
        failures = engine.counter("streammetrics_rule_evaluation_failures")
                .help("Rule evaluations that threw, by rule.").labelNames("rule").register();
        reloads = engine.counter("streammetrics_rule_reloads")
                .help("Rule file loads, by result (success, failure).").labelNames("result").register();
        duration = engine.timer("streammetrics_rule_evaluation_duration")
                .help("Duration of alert evaluations (snapshot, windows and every rule).").register().labels();
        engine.gauge("streammetrics_rule_last_evaluation_timestamp").unit(Unit.SECONDS)
                .help("Time of the last completed alert evaluation (its snapshot's time), 0 before the first.")
                .register().callback(() -> lastEvaluationSeconds);
        skipped = engine.counter("streammetrics_rule_evaluation_ticks_skipped")
                .help("Evaluation ticks passed over because an evaluation ran late (a slow snapshot, a pause).")
                .register().labels();
    }

    /** Makes sure the rule has its two {@code streammetrics_alerts} series. */
    synchronized void rule(String name) {
        if (alerts != null && registeredRules.add(name)) {
            alerts.callback(() -> count(name, 0), name, AlertState.PENDING.label());
            alerts.callback(() -> count(name, 1), name, AlertState.FIRING.label());
            // The series exists at 0 from the start, so that a rule's first failure is an increase, not a new series.
            failures.labels(name);
        }
    }

    /** Publishes the counts of this evaluation: rule name to {pending, firing}. */
    void alertCounts(Map<String, int[]> counts) {
        this.counts = counts;
    }

    private double count(String rule, int index) {
        int[] pair = counts.get(rule);
        return pair == null ? 0 : pair[index];
    }

    void notification(String notifier, String result) {
        if (notifications != null) {
            notifications.labels(notifier, result).increment();
        }
    }

    void evaluationFailure(String rule) {
        if (failures != null) {
            failures.labels(rule).increment();
        }
    }

    /** One evaluation ended: it took {@code nanos} and read the snapshot of {@code epochMillis}. */
    void evaluation(long nanos, long epochMillis) {
        lastEvaluationSeconds = epochMillis / 1000.0;
        if (duration != null) {
            duration.record(nanos);
        }
    }

    void ticksSkipped(long ticks) {
        if (skipped != null && ticks > 0) {
            skipped.add(ticks);
        }
    }

    void reload(boolean success) {
        if (reloads != null) {
            reloads.labels(success ? "success" : "failure").increment();
        }
    }
}
