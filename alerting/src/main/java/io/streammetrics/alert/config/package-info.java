/**
 * Alert rules from YAML files in a format close to Prometheus rule files; see
 * {@link io.streammetrics.alert.config.RuleFile} for the format and an example.
 */
package io.streammetrics.alert.config;
