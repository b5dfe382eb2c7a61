/**
 * Alerting at run time: the evaluator, the alert lifecycle, silences, acknowledgements and notification.
 *
 * <p>An {@link io.streammetrics.alert.AlertEvaluator} evaluates {@link io.streammetrics.alert.rule.AlertRule}s on
 * its own thread. An alert is identified by its rule and label set and moves inactive, pending ({@code for}),
 * firing, resolved ({@code keep_firing_for}), one {@link io.streammetrics.alert.AlertEvent} per transition, plus
 * re-notifications after the repeat interval and one escalation. Acknowledgement stops re-notification and
 * escalation; {@link io.streammetrics.alert.Silence}s mute notifications, not tracking. Each
 * {@link io.streammetrics.alert.AlertNotifier} gets its events from its own bounded queue and thread.
 *
 * <p>The evaluator is a facade over package-private parts with one job each, each saying which thread owns its
 * state: the schedule ({@code EvaluationSchedule}), the rules in force and one pass over them
 * ({@code RuleEvaluation}), rule loading and validation ({@code RuleLoading}), silences ({@code SilenceList}) and
 * acknowledgements ({@code Acknowledgements}), and notifier routing and statistics ({@code NotifierRoutes}).
 *
 * <p>The alerting packages form layers, each depending only on those below it:
 * {@link io.streammetrics.alert.expr} (expressions, matchers, comparisons) at the bottom,
 * {@link io.streammetrics.alert.rule} (rules and their conditions) above it, {@link io.streammetrics.alert.config}
 * (rule files) above that, and this package on top; {@link io.streammetrics.alert.notify} (notifiers that leave the
 * process) builds on this package. Besides those, this package depends on the
 * engine ({@code io.streammetrics}: clock, snapshots, self-metrics), {@link io.streammetrics.window} and
 * {@link io.streammetrics.json}; nothing below it depends on it.
 */
package io.streammetrics.alert;
