/**
 * Alert rules from YAML files in a format close to Prometheus rule files; see
 * {@link io.streammetrics.alert.config.RuleFile} for the format and an example. Input is bounded (size, depth,
 * aliases) before it is parsed.
 *
 * <p>Above the rules: depends on {@link io.streammetrics.alert.rule} (what it builds),
 * {@link io.streammetrics.alert.expr} (the expressions it parses) and the YAML loader (SnakeYAML Engine); the
 * evaluator ({@link io.streammetrics.alert}) depends on it for its rule-file loading, never the other way.
 */
package io.streammetrics.alert.config;
