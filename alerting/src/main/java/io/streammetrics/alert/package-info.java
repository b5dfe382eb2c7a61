/**
 * Alerting: rules, the alert lifecycle and notification.
 *
 * <p>An {@link io.streammetrics.alert.AlertEvaluator} evaluates {@link io.streammetrics.alert.AlertRule}s on its own
 * thread. A rule's {@link io.streammetrics.alert.RuleCondition} is one of threshold (with hysteresis), anomaly
 * (z-score or median/MAD over a rolling baseline), rate of change, trend ({@code predict_linear}), absence, or SLO
 * burn rate (multi-window, multi-burn-rate); it applies per series, its labels carrying into the alert, or to an
 * aggregate ({@code sum by (stage) (...)}). An alert is identified by its rule and label set and moves inactive,
 * pending ({@code for}), firing, resolved ({@code keep_firing_for}), one {@link io.streammetrics.alert.AlertEvent}
 * per transition, plus re-notifications after the repeat interval and one escalation. Acknowledgement stops
 * re-notification and escalation; {@link io.streammetrics.alert.Silence}s mute notifications, not tracking. Each
 * {@link io.streammetrics.alert.AlertNotifier} gets its events from its own bounded queue and thread.
 *
 * <p>Rules come from builders or from YAML ({@link io.streammetrics.alert.config.RuleFile}); values are written in
 * a PromQL subset ({@link io.streammetrics.alert.expr.ExprParser}) and computed from windows over cumulative
 * snapshots ({@link io.streammetrics.window}).
 */
package io.streammetrics.alert;
