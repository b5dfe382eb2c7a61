/**
 * Alert rules: what a rule is ({@link io.streammetrics.alert.rule.AlertRule}: condition, {@code for},
 * {@code keep_firing_for}, severity, labels, annotations, routing, escalation, no-data and error states) and what it
 * tests ({@link io.streammetrics.alert.rule.RuleCondition}): threshold (with hysteresis), anomaly (z-score or
 * median/MAD over a rolling baseline), rate of change, trend ({@code predict_linear}), absence, or SLO burn rate
 * (multi-window, multi-burn-rate); a condition applies per series, its labels carrying into the alert, or to an
 * aggregate ({@code sum by (stage) (...)}). Rules come grouped ({@link io.streammetrics.alert.rule.RuleGroup}).
 *
 * <p>Depends on {@link io.streammetrics.alert.expr} (the values rules read) and on the windows and snapshots they
 * are computed from ({@link io.streammetrics.window}, {@link io.streammetrics.snapshot}); not on the evaluator
 * ({@link io.streammetrics.alert}) nor on rule files ({@link io.streammetrics.alert.config}), which both build on
 * it.
 */
package io.streammetrics.alert.rule;
