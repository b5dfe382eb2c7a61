/**
 * The PromQL subset rules are written in: selectors with label matchers
 * ({@link io.streammetrics.alert.expr.LabelMatcher}, also what silences match with), {@code rate},
 * {@code increase}, {@code *_over_time}, windowed {@code quantile}, {@code last}, arithmetic, aggregations with
 * {@code by} or {@code without}, and comparisons against a limit ({@link io.streammetrics.alert.expr.Comparison}).
 * Expressions evaluate to vectors of labelled samples against one evaluation's snapshot and the windows updated from
 * it. See {@link io.streammetrics.alert.expr.ExprParser} for the grammar.
 *
 * <p>The bottom of the alerting packages: depends only on the engine's snapshots and naming rules, on
 * {@link io.streammetrics.window} and on RE2/J (linear-time regular expressions); nothing here knows rules, alerts
 * or rule files.
 */
package io.streammetrics.alert.expr;
