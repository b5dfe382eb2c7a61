package io.streammetrics.alert;

import io.streammetrics.MetricsEngine;
import io.streammetrics.metric.CounterFamily;
import io.streammetrics.metric.GaugeFamily;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The evaluator's own metrics in the engine, so that a scrape shows them: {@code streammetrics_alerts{alertname,
 * alertstate}} (alerts pending and firing per rule, as Prometheus' {@code ALERTS}), {@code
 * streammetrics_notifications_total{notifier, result}} (sent, failed, dropped), {@code
 * streammetrics_rule_evaluation_failures_total{rule}} and {@code streammetrics_rule_reloads_total{result}}. Without
 * an engine every method does nothing.
 */
final class AlertSelfMetrics {
    private final GaugeFamily alerts;
    private final CounterFamily notifications;
    private final CounterFamily failures;
    private final CounterFamily reloads;
    private final Set<String> registeredRules = new HashSet<>();
    private volatile Map<String, int[]> counts = Map.of();

    AlertSelfMetrics(MetricsEngine engine) {
        if (engine == null) {
            alerts = null;
            notifications = null;
            failures = null;
            reloads = null;
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
    }

    /** Makes sure the rule has its two {@code streammetrics_alerts} series. */
    synchronized void rule(String name) {
        if (alerts != null && registeredRules.add(name)) {
            alerts.callback(() -> count(name, 0), name, AlertState.PENDING.label());
            alerts.callback(() -> count(name, 1), name, AlertState.FIRING.label());
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

    void reload(boolean success) {
        if (reloads != null) {
            reloads.labels(success ? "success" : "failure").increment();
        }
    }
}
