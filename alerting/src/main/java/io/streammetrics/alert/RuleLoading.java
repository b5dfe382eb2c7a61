package io.streammetrics.alert;

import io.streammetrics.alert.config.RuleFile;
import io.streammetrics.alert.config.RuleFileException;
import io.streammetrics.alert.rule.AlertRule;
import io.streammetrics.alert.rule.RuleGroup;
import io.streammetrics.common.Durations;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How rules get into an {@link AlertEvaluator}: checked against the evaluator (group intervals and {@code for}
 * against the evaluation interval, unique names, registered notifiers) and only then put in force, from a list or
 * from a rule file; a failed rule file load is kept, logged and counted.
 *
 * <p>Threads: any thread loads or sets rules; validation reads only immutable state, and putting the rules in force
 * takes the {@link RuleEvaluation}'s lock. The last load error is volatile.
 */
final class RuleLoading {
    // Logged under the evaluator's name, as before the evaluator was split: users configure that logger.
    private static final System.Logger LOG = System.getLogger(AlertEvaluator.class.getName());

    private final long intervalMillis;
    private final NotifierRoutes routes;
    private final RuleEvaluation evaluation;
    private final AlertSelfMetrics selfMetrics;
    private volatile RuleFileException lastLoadError;

    RuleLoading(long intervalMillis, NotifierRoutes routes, RuleEvaluation evaluation, AlertSelfMetrics selfMetrics) {
        this.intervalMillis = intervalMillis;
        this.routes = routes;
        this.evaluation = evaluation;
        this.selfMetrics = selfMetrics;
    }

    /** See {@link AlertEvaluator#setRules(List)}. */
    void setRules(List<RuleGroup> newGroups) {
        validate(newGroups);
        evaluation.install(newGroups);
    }

    private void validate(List<RuleGroup> newGroups) {
        Set<String> names = new HashSet<>();
        for (RuleGroup group : newGroups) {
            if (group.interval() != null && group.interval().toMillis() < intervalMillis) {
                throw new IllegalArgumentException("group '" + group.name() + "' interval "
                        + Durations.format(group.interval()) + " is shorter than the evaluation interval "
                        + Durations.format(Duration.ofMillis(intervalMillis)));
            }
            long ruleInterval = group.interval() != null ? group.interval().toMillis() : intervalMillis;
            for (AlertRule rule : group.rules()) {
                if (rule.forMillis() > 0 && rule.forMillis() < ruleInterval) {
                    // pending -> firing is decided at evaluations (RuleFile reports this with the line)
                    throw new IllegalArgumentException("rule '" + rule.name() + "' for "
                            + Durations.format(Duration.ofMillis(rule.forMillis())) + " is shorter than its evaluation"
                            + " interval " + Durations.format(Duration.ofMillis(ruleInterval))
                            + " and cannot be honoured (0s fires at once)");
                }
                if (!names.add(rule.name())) {
                    throw new IllegalArgumentException("duplicate alert rule name '" + rule.name() + "'");
                }
                Set<String> routed = new HashSet<>(rule.notifiers());
                if (rule.escalation() != null && rule.escalation().notifier() != null) {
                    routed.add(rule.escalation().notifier());
                }
                for (String notifier : routed) {
                    if (!routes.contains(notifier)) {
                        throw new IllegalArgumentException("rule '" + rule.name() + "' routes to notifier '" + notifier
                                + "', which is not registered (registered: " + routes.names() + ")");
                    }
                }
            }
        }
    }

    /** See {@link AlertEvaluator#loadRuleFile(Path)}. */
    void loadRuleFile(Path file) {
        try {
            List<RuleGroup> loaded;
            try {
                loaded = RuleFile.load(file, Duration.ofMillis(intervalMillis));
            } catch (RuleFileException e) {
                throw e;
            } catch (RuntimeException | StackOverflowError e) {
                // RuleFile bounds its input; should anything still escape, a reload must fail like any bad file
                throw new RuleFileException(file, 0, "cannot load rule file: " + e, e);
            }
            try {
                setRules(loaded);
            } catch (IllegalArgumentException e) {
                throw new RuleFileException(file, 0, e.getMessage(), e);
            }
            lastLoadError = null;
            selfMetrics.reload(true);
        } catch (RuleFileException e) {
            lastLoadError = e;
            selfMetrics.reload(false);
            LOG.log(System.Logger.Level.ERROR, "rule file not loaded, the previous rules stay: " + e.getMessage());
            throw e;
        }
    }

    /** The error of the last rule file load, or null if it succeeded. */
    RuleFileException lastLoadError() {
        return lastLoadError;
    }
}
