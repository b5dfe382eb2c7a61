package io.streammetrics.alert;

import io.streammetrics.alert.rule.RuleGroup;

import java.util.List;

/**
 * A rule group in force in an {@link AlertEvaluator}: its rules' states (their alerts) and when the group was last
 * evaluated. Owned by {@link RuleEvaluation}: created, read and changed only under its lock, by the thread that
 * evaluates, replaces the rules or applies acknowledgements.
 */
final class GroupState {
    final RuleGroup group;
    final List<RuleState> rules;
    long lastEvaluatedMillis = Long.MIN_VALUE;

    GroupState(RuleGroup group, List<RuleState> rules) {
        this.group = group;
        this.rules = rules;
    }
}
