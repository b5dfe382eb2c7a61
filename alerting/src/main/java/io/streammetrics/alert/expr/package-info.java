/**
 * The PromQL subset rules are written in: selectors with label matchers, {@code rate}, {@code increase},
 * {@code *_over_time}, windowed {@code quantile}, {@code last}, arithmetic and aggregations with {@code by} or
 * {@code without}. Expressions evaluate to vectors of labelled samples against one evaluation's snapshot and the
 * windows updated from it. See {@link io.streammetrics.alert.expr.ExprParser} for the grammar.
 */
package io.streammetrics.alert.expr;
