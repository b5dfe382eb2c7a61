package io.streammetrics.alert;

import io.streammetrics.alert.expr.EvalContext;
import io.streammetrics.alert.rule.AlertRule;
import io.streammetrics.alert.rule.RuleGroup;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.window.WindowStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The rules in force in an {@link AlertEvaluator} and their alerts, and one evaluation pass over them: snapshot,
 * windows, every rule that is due, events recorded and routed, the active alerts published.
 *
 * <p>Threads: everything mutable here (the groups and their rules' alerts, the windows, the time of the pass) is
 * owned by the holder of {@link #lock}, which is the evaluator thread during a pass, a caller of
 * {@link AlertEvaluator#evaluateOnce()} (tests), a caller replacing the rules ({@link #install}) or an
 * acknowledging thread that found no pass running. What other threads read is published as immutable copies in
 * volatile fields ({@link #activeAlerts()}, {@link #rulesByName()}) after each change, so reading never waits for an
 * evaluation; the failure counts are concurrent.
 */
final class RuleEvaluation {
    // Logged under the evaluator's name, as before the evaluator was split: users configure that logger.
    private static final System.Logger LOG = System.getLogger(AlertEvaluator.class.getName());

    private final Supplier<MetricsSnapshot> snapshots;
    private final long intervalMillis;
    private final WindowStore windows;
    private final AlertHistory history;
    private final AlertSelfMetrics selfMetrics;
    private final NotifierRoutes routes;
    private final SilenceList silences;
    private final Acknowledgements acknowledgements;
    private final EvaluationSchedule schedule;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private final AtomicLong snapshotFailures = new AtomicLong();
    private final Sink sink = new Sink();
    private List<GroupState> groups = List.of();
    // Read without the lock by firingAlerts(String), which notifiers call from their own threads.
    private volatile Map<String, AlertRule> rulesByName = Map.of();
    private volatile List<Alert> active = List.of();
    private long now;
    /** The time of the last snapshot appended to the windows: a snapshot not newer than it is not appended. */
    private long lastAppendedMillis = Long.MIN_VALUE;

    RuleEvaluation(Supplier<MetricsSnapshot> snapshots, long intervalMillis, WindowStore windows, AlertHistory history,
                   AlertSelfMetrics selfMetrics, NotifierRoutes routes, SilenceList silences,
                   Acknowledgements acknowledgements, EvaluationSchedule schedule) {
        this.snapshots = snapshots;
        this.intervalMillis = intervalMillis;
        this.windows = windows;
        this.history = history;
        this.selfMetrics = selfMetrics;
        this.routes = routes;
        this.silences = silences;
        this.acknowledgements = acknowledgements;
        this.schedule = schedule;
    }

    /** See {@link AlertEvaluator#evaluateOnce()}. */
    void evaluateOnce() {
        lock.lock();
        try {
            long startNanos = schedule.passStarted();
            acknowledgements.applyTo(groups);
            MetricsSnapshot snapshot;
            try {
                snapshot = snapshots.get();
            } catch (RuntimeException e) {
                if (snapshotFailures.getAndIncrement() == 0) {
                    LOG.log(System.Logger.Level.WARNING, "taking a snapshot for alert evaluation failed", e);
                }
                return;
            }
            // The data's own time, not a time taken before the snapshot: had the snapshot waited 3 s, the counters
            // it read would otherwise grow by 3 s more than their samples' times say.
            now = snapshot.timestampMillis();
            if (now > lastAppendedMillis) {
                windows.update(snapshot, now);
                lastAppendedMillis = now;
            }
            EvalContext context = new EvalContext(snapshot, windows, now);
            silences.dropExpired(now);
            for (GroupState group : groups) {
                Duration interval = group.group.interval();
                // Half an interval of slack keeps a group of 5 s on every fifth tick despite timer jitter.
                if (interval != null && group.lastEvaluatedMillis != Long.MIN_VALUE
                        && now - group.lastEvaluatedMillis < interval.toMillis() - intervalMillis / 2) {
                    continue;
                }
                group.lastEvaluatedMillis = now;
                for (RuleState rule : group.rules) {
                    evaluateRule(rule, context);
                }
            }
            publish();
            schedule.passCompleted(startNanos, now);
        } finally {
            schedule.passEnded();
            lock.unlock();
        }
    }

    private void evaluateRule(RuleState rule, EvalContext context) {
        try {
            rule.evaluate(context, sink);
        } catch (RuntimeException e) {
            String name = rule.rule.name();
            if (failures.computeIfAbsent(name, k -> new AtomicLong()).getAndIncrement() == 0) {
                LOG.log(System.Logger.Level.WARNING, "rule " + name + " failed; its error state ("
                        + rule.rule.errorState().label() + ") applies (further failures are only counted)", e);
            }
            selfMetrics.evaluationFailure(name);
            try {
                rule.failed(context.nowMillis(), e, sink);
            } catch (RuntimeException again) {
                // The rule's state is then as the failure left it; the next evaluation tries again.
                LOG.log(System.Logger.Level.WARNING, "applying the error state of rule " + name + " failed", again);
            }
        }
    }

    /** Publishes the active alerts and their counts; the caller holds the lock. */
    private void publish() {
        List<Alert> alerts = new ArrayList<>();
        Map<String, int[]> counts = new HashMap<>();
        for (GroupState group : groups) {
            for (RuleState rule : group.rules) {
                int[] pair = counts.computeIfAbsent(rule.rule.name(), k -> new int[2]);
                for (Alert alert : rule.activeAlerts()) {
                    alerts.add(alert);
                    pair[alert.state() == AlertState.PENDING ? 0 : 1]++;
                }
            }
        }
        active = List.copyOf(alerts);
        selfMetrics.alertCounts(counts);
    }

    /**
     * Applies the queued acknowledgements now unless a pass (or a rule change) holds the lock, in which case the
     * next pass applies them. Never waits.
     */
    void applyAcknowledgementsIfIdle() {
        if (lock.tryLock()) {
            try {
                if (acknowledgements.applyTo(groups)) {
                    publish();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Puts validated rules in force (see {@link AlertEvaluator#setRules}): alerts of rules that keep their name keep
     * their state; windows still read keep their history. Waits for a pass in progress.
     */
    void install(List<RuleGroup> newGroups) {
        lock.lock();
        try {
            Map<String, RuleState> old = new HashMap<>();
            for (GroupState group : groups) {
                for (RuleState rule : group.rules) {
                    old.put(rule.rule.name(), rule);
                }
            }
            windows.clearRequirements();
            Map<String, AlertRule> byName = new HashMap<>();
            List<GroupState> states = new ArrayList<>();
            for (RuleGroup group : newGroups) {
                List<RuleState> rules = new ArrayList<>();
                for (AlertRule rule : group.rules()) {
                    rule.condition().declareWindows(windows);
                    RuleState state = new RuleState(rule);
                    RuleState previous = old.get(rule.name());
                    if (previous != null) {
                        state.alerts.putAll(previous.alerts);
                    }
                    rules.add(state);
                    byName.put(rule.name(), rule);
                    selfMetrics.rule(rule.name());
                }
                states.add(new GroupState(group, List.copyOf(rules)));
            }
            groups = List.copyOf(states);
            rulesByName = Map.copyOf(byName);
            publish();
        } finally {
            lock.unlock();
        }
    }

    /** The rule groups in force; waits for a pass in progress. */
    List<RuleGroup> ruleGroups() {
        lock.lock();
        try {
            return groups.stream().map(group -> group.group).toList();
        } finally {
            lock.unlock();
        }
    }

    /** The pending and firing alerts as of the last pass (or acknowledgement). Any thread, no lock. */
    List<Alert> activeAlerts() {
        return active;
    }

    /** The rules in force by name. Any thread, no lock. */
    Map<String, AlertRule> rulesByName() {
        return rulesByName;
    }

    /** The most recent events, oldest first. Any thread (the history has its own lock). */
    List<AlertEvent> history() {
        return history.snapshot();
    }

    /** How many evaluations of this rule threw. Any thread. */
    long evaluationFailures(String rule) {
        AtomicLong count = failures.get(rule);
        return count == null ? 0 : count.get();
    }

    /** Records every event and queues the ones to send; called by rules during a pass, under the lock. */
    private final class Sink implements AlertSink {
        @Override
        public void emit(AlertRule rule, AlertEvent event, boolean dispatch, String escalatedTo) {
            history.add(event);
            if (dispatch) {
                routes.dispatch(rule, event, escalatedTo != null);
            }
        }

        @Override
        public boolean silenced(Map<String, String> labels) {
            return silences.silenced(labels, now);
        }
    }
}
