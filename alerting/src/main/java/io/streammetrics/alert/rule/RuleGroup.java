package io.streammetrics.alert.rule;

import io.streammetrics.common.Durations;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Rules evaluated together at one interval, as a group of a Prometheus rule file. A group's interval is at least
 * the evaluator's; windows are sampled at the evaluator's interval whatever the group's.
 *
 * @param name     the group's name
 * @param interval how often its rules are evaluated, or null for every evaluation
 * @param rules    its rules
 */
public record RuleGroup(String name, Duration interval, List<AlertRule> rules) {
    /** Copies the rules and checks that their names are unique within the group. */
    public RuleGroup {
        Objects.requireNonNull(name, "name");
        rules = List.copyOf(rules);
        if (interval != null && (interval.isNegative() || interval.isZero())) {
            throw new IllegalArgumentException("group '" + name + "' interval must be positive, got " + Durations.format(interval));
        }
    }
}
