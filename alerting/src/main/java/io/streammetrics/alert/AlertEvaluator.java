package io.streammetrics.alert;

import io.streammetrics.MetricsEngine;
import io.streammetrics.alert.config.RuleFile;
import io.streammetrics.alert.config.RuleFileException;
import io.streammetrics.alert.expr.LabelMatcher;
import io.streammetrics.alert.rule.AlertRule;
import io.streammetrics.alert.rule.RuleGroup;
import io.streammetrics.common.EngineClock;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.window.WindowSettings;
import io.streammetrics.window.WindowStore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Evaluates alert rules against the engine's snapshots on its own daemon thread, every interval (default 1 s): it
 * takes a snapshot, appends it to the windows of the series the rules read, runs every rule, moves alerts through
 * their lifecycle and hands each event to the notifiers, each through its own queue and thread
 * ({@link NotificationDispatcher}), so that nothing a notifier does delays an evaluation.
 *
 * <p>An evaluation happens at its snapshot's time ({@link MetricsSnapshot#timestampMillis()}, the engine's clock):
 * windows are stamped with it and rules judge at it, so a snapshot that took seconds (a stalled host) shifts the
 * evaluation, not the arithmetic of its windows. Evaluations run on a fixed grid of ticks; one that overruns is
 * followed by a single evaluation at the next tick, not by catch-up runs, and the ticks passed over are counted
 * ({@link #status()}, {@code streammetrics_rule_evaluation_ticks_skipped_total}). {@code
 * EvaluatorCheck} (package {@code io.streammetrics.health}) turns a stalled loop into a failed health check.
 *
 * <pre>{@code
 * AlertEvaluator evaluator = AlertEvaluator.builder()
 *         .engine(engine)
 *         .ruleFile(Path.of("rules.yaml"))
 *         .notifier(AlertNotifier.listener("shedder", event -> react(event)))
 *         .build()
 *         .start();
 * }</pre>
 *
 * Tests drive {@link #evaluateOnce()} by hand with their own clock and snapshot supplier. A rule that throws is
 * isolated: counted ({@code streammetrics_rule_evaluation_failures_total{rule}}), logged once, and its
 * {@link ErrorState} applies (by default its alerts keep their state and a synthetic {@code EvaluationError} alert
 * is raised); a rule whose query returns no data gets its {@link NoDataState}. All methods are thread-safe.
 *
 * <p>What operators do from other threads (an HTTP handler's acknowledgement, silence or expiry) never waits for an
 * evaluation: reads are served from immutable copies published after each pass, silences are replaced copy-on-write
 * under a small lock of their own, and an acknowledgement is queued and applied by the evaluating thread at the start
 * of its next pass (at once when no evaluation runs). At most {@link Builder#maxSilences(int)} silences (default
 * {@value #DEFAULT_MAX_SILENCES}) are in force; expired ones are dropped when a silence is added and at every
 * evaluation.
 *
 * <p>Every notifier gets every event of the rules routed to it, including {@code PENDING} ones and the
 * {@code RESOLVED} of an alert whose pending notice was sent but which never fired: each notifier decides what it
 * forwards ({@code AlertmanagerNotifier} drops both, since Alertmanager only knows firing alerts; the webhook sends
 * them with their {@code kind}). The evaluator owns its notifiers once built: each is told which alerts the
 * evaluator has firing for it ({@link AlertNotifier#registered}, which {@code AlertmanagerNotifier}'s periodic
 * resend follows), and {@link #close()} closes those that are {@link AutoCloseable}. {@link #activeAlerts()} is the
 * source to give {@code HealthMonitor.Builder.alerts(evaluator::activeAlerts)}.
 */
public final class AlertEvaluator implements AutoCloseable {
    private static final String DEFAULT_GROUP = "default";
    /** Default bound on the silences in force: each is matched against every alert at every evaluation. */
    public static final int DEFAULT_MAX_SILENCES = 1_000;

    // The parts, one job each; each one's Javadoc says which thread owns its state.
    private final EngineClock clock;
    private final NotifierRoutes routes;
    private final SilenceList silences;
    private final Acknowledgements acknowledgements = new Acknowledgements();
    private final EvaluationSchedule schedule;
    private final RuleEvaluation evaluation;
    private final RuleLoading loading;

    private AlertEvaluator(Builder builder) {
        this.clock = builder.clock;
        long intervalMillis = builder.interval.toMillis();
        WindowStore windows = new WindowStore(builder.windowSettings != null ? builder.windowSettings
                : WindowSettings.of(builder.interval));
        AlertHistory history = new AlertHistory(builder.historySize);
        AlertSelfMetrics selfMetrics = new AlertSelfMetrics(builder.engine);
        this.silences = new SilenceList(clock, builder.maxSilences);
        this.schedule = new EvaluationSchedule(clock, intervalMillis, selfMetrics);
        this.routes = new NotifierRoutes(builder.notifiers, builder.queueCapacity, selfMetrics::notification);
        this.evaluation = new RuleEvaluation(builder.snapshots, intervalMillis, windows, history, selfMetrics, routes,
                silences, acknowledgements, schedule);
        this.loading = new RuleLoading(intervalMillis, routes, evaluation, selfMetrics);
        try {
            loading.setRules(builder.resolvedGroups);
            for (NotifierRoutes.Registration registration : builder.notifiers) {
                String name = registration.notifier().name();
                registration.notifier().registered(() -> firingAlerts(name));
            }
        } catch (RuntimeException e) {
            // The caller still owns the notifiers of an evaluator that was never built: stop only our threads.
            routes.stopThreads();
            throw e;
        }
    }

    /** A builder; {@link Builder#engine} or {@link Builder#snapshots} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts evaluating every interval on a daemon thread, the first time one interval from now. Idempotent. */
    public AlertEvaluator start() {
        schedule.start(evaluation::evaluateOnce);
        return this;
    }

    /**
     * Runs one evaluation now, at the time of the snapshot it takes: snapshot, windows, every rule that is due,
     * events. Returns when the events are queued for the notifiers (not when they are delivered). A snapshot not
     * newer than the one before is evaluated but not appended to the windows (two samples at one instant have no
     * rate).
     */
    public void evaluateOnce() {
        evaluation.evaluateOnce();
    }

    /** How the evaluation loop is doing (for health checks and operators). Takes no lock. */
    public EvaluatorStatus status() {
        return schedule.status();
    }

    /** The pending and firing alerts as of the last evaluation (or acknowledgement). */
    public List<Alert> activeAlerts() {
        return evaluation.activeAlerts();
    }

    /**
     * The firing alerts this evaluator has notified, or would notify, to {@code notifier}: firing as of the last
     * evaluation, of a rule routed to it (or escalated to it), and not silenced now. Acknowledged alerts are
     * included: acknowledgement stops re-notification, not the alert, and a receiver that expires what it is not
     * told again (Alertmanager) would otherwise report them resolved. Takes no lock: callable from a notifier's
     * thread while an evaluation runs.
     *
     * @throws IllegalArgumentException if no notifier has this name
     */
    public List<Alert> firingAlerts(String notifier) {
        routes.requireKnown(notifier);
        Map<String, AlertRule> rules = evaluation.rulesByName();
        long at = clock.epochMillis();
        return routes.firing(notifier, evaluation.activeAlerts(), rules, silences, at);
    }

    /** The active alert with this id. */
    public Optional<Alert> alert(String id) {
        return activeAlerts().stream().filter(alert -> alert.id().equals(id)).findFirst();
    }

    /** The most recent events (every transition, repeat and escalation, notified or not), oldest first. */
    public List<AlertEvent> history() {
        return evaluation.history();
    }

    /**
     * Acknowledges an active alert: it stops being re-notified and escalated; it still resolves normally, and its
     * next episode is unacknowledged. Never waits for an evaluation: when one is running, the acknowledgement is
     * queued and applied at the start of the next pass (so an alert that resolves meanwhile is not acknowledged);
     * otherwise it is applied before this returns.
     *
     * @return false if no active alert has this id as of the last evaluation
     */
    public boolean acknowledge(String alertId, String by) {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(by, "by");
        if (alert(alertId).isEmpty()) {
            return false;
        }
        acknowledgements.add(alertId, by);
        evaluation.applyAcknowledgementsIfIdle();
        return true;
    }

    /**
     * Silences the alerts matching every matcher for {@code duration} from now (the evaluator's clock).
     *
     * @throws IllegalStateException when {@link Builder#maxSilences(int)} silences are already in force
     * @throws IllegalArgumentException for a duration beyond what epoch milliseconds hold
     */
    public Silence silence(List<LabelMatcher> matchers, Duration duration, String createdBy, String comment) {
        return silences.silence(matchers, duration, createdBy, comment);
    }

    /**
     * Adds a silence (expired silences are dropped first).
     *
     * @throws IllegalStateException when {@link Builder#maxSilences(int)} silences are already in force
     */
    public void addSilence(Silence silence) {
        silences.add(silence);
    }

    /** Ends a silence now; false if there is none with this id. */
    public boolean expireSilence(String id) {
        return silences.expire(id);
    }

    /** The silences in force now (expired ones are dropped at each evaluation and when one is added). */
    public List<Silence> silences() {
        return silences.inForce();
    }

    /** What happened to the events of one notifier. */
    public NotificationStats notificationStats(String notifier) {
        return routes.stats(notifier);
    }

    /** How many evaluations of this rule threw. */
    public long evaluationFailures(String rule) {
        return evaluation.evaluationFailures(rule);
    }

    /** The rule groups in force. */
    public List<RuleGroup> ruleGroups() {
        return evaluation.ruleGroups();
    }

    /**
     * Replaces the rules. Alerts of rules that keep their name keep their state (a pending alert stays pending);
     * windows still read keep their history.
     *
     * @throws IllegalArgumentException for duplicate rule names, unknown notifiers or a group interval shorter than
     *                                  the evaluation interval; the old rules then stay
     */
    public void setRules(List<RuleGroup> newGroups) {
        loading.setRules(newGroups);
    }

    /**
     * Loads (or reloads) rules from a YAML rule file. A bad file changes nothing: the old rules stay, the error is
     * kept in {@link #lastLoadError()}, logged, counted ({@code streammetrics_rule_reloads_total{result="failure"}})
     * and thrown.
     *
     * @throws RuleFileException naming the file, the line and the problem
     */
    public void loadRuleFile(Path file) {
        loading.loadRuleFile(file);
    }

    /** The error of the last rule file load, or null if it succeeded. */
    public RuleFileException lastLoadError() {
        return loading.lastLoadError();
    }

    /**
     * Stops the evaluation thread and the notifier threads (each given up to a second to send what is queued), then
     * closes the notifiers that are {@link AutoCloseable} (an {@code AlertmanagerNotifier}'s resend thread, for
     * one). A notifier whose close throws is logged; the others are still closed.
     */
    @Override
    public void close() {
        schedule.close();
        routes.close();
    }

    /** Builds an {@link AlertEvaluator}. */
    public static final class Builder {
        private Supplier<MetricsSnapshot> snapshots;
        private MetricsEngine engine;
        private EngineClock clock = EngineClock.SYSTEM;
        private boolean clockSet;
        private Duration interval = Duration.ofSeconds(1);
        private WindowSettings windowSettings;
        private int historySize = 1000;
        private int queueCapacity = 1024;
        private int maxSilences = DEFAULT_MAX_SILENCES;
        private final List<NotifierRoutes.Registration> notifiers = new ArrayList<>();
        private final List<RuleGroup> groups = new ArrayList<>();
        private final List<AlertRule> ungrouped = new ArrayList<>();
        private Path ruleFile;
        private List<RuleGroup> resolvedGroups;

        private Builder() {
        }

        /**
         * Evaluates this engine's snapshots and registers the evaluator's self-metrics in it
         * ({@code streammetrics_alerts}, {@code streammetrics_notifications_total}, ...). The evaluator then uses
         * the engine's clock unless {@link #clock} sets another.
         */
        public Builder engine(MetricsEngine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            if (snapshots == null) {
                snapshots = engine::snapshot;
            }
            if (!clockSet) {
                clock = engine.clock();
            }
            return this;
        }

        /** Where snapshots come from (default: the engine's {@code snapshot()}). */
        public Builder snapshots(Supplier<MetricsSnapshot> snapshots) {
            this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
            return this;
        }

        /**
         * The clock of silences and of the evaluator's own durations (default: the engine's, else the system
         * clock). Evaluations are timed by their snapshots, which should be taken on the same clock.
         */
        public Builder clock(EngineClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            this.clockSet = true;
            return this;
        }

        /** The evaluation interval (default 1 s), also the windows' resolution. */
        public Builder interval(Duration interval) {
            if (interval.toMillis() <= 0) {
                throw new IllegalArgumentException("evaluation interval must be at least 1 ms, got " + interval);
            }
            this.interval = interval;
            return this;
        }

        /** Window resolution and tiers (default: {@link WindowSettings#of(Duration)} of the interval). */
        public Builder windowSettings(WindowSettings settings) {
            this.windowSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Events kept in the history (default 1,000). */
        public Builder historySize(int size) {
            this.historySize = size;
            return this;
        }

        /**
         * Most silences in force at once (default {@value AlertEvaluator#DEFAULT_MAX_SILENCES}); adding one more
         * throws {@link IllegalStateException} (the operator API answers 409).
         */
        public Builder maxSilences(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxSilences must be positive, got " + max);
            }
            this.maxSilences = max;
            return this;
        }

        /** Events each notifier's queue holds before further ones are dropped (default 1,024). */
        public Builder notifierQueueCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("notifier queue capacity must be positive, got " + capacity);
            }
            this.queueCapacity = capacity;
            return this;
        }

        /**
         * Adds a notifier that gets the events of every rule that does not name its notifiers. The evaluator built
         * owns it: closing the evaluator closes it if it is {@link AutoCloseable}.
         */
        public Builder notifier(AlertNotifier notifier) {
            return register(notifier, false);
        }

        /** Adds a notifier that gets only the events routed to it by name (an escalation target, a rule's list). */
        public Builder escalationNotifier(AlertNotifier notifier) {
            return register(notifier, true);
        }

        private Builder register(AlertNotifier notifier, boolean escalationOnly) {
            Objects.requireNonNull(notifier, "notifier");
            for (NotifierRoutes.Registration registration : notifiers) {
                if (registration.notifier().name().equals(notifier.name())) {
                    throw new IllegalArgumentException("duplicate notifier name '" + notifier.name() + "'");
                }
            }
            notifiers.add(new NotifierRoutes.Registration(notifier, escalationOnly));
            return this;
        }

        /** Adds a rule group. */
        public Builder ruleGroup(RuleGroup group) {
            groups.add(Objects.requireNonNull(group, "group"));
            return this;
        }

        /** Adds a rule to the group {@code default}, evaluated every interval. */
        public Builder rule(AlertRule rule) {
            ungrouped.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /** Loads the rules of a YAML rule file at build time (see {@link RuleFile} for the format). */
        public Builder ruleFile(Path file) {
            this.ruleFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * Builds the evaluator (not started).
         *
         * @throws IllegalArgumentException for bad rules or a missing snapshot source; {@link RuleFileException}
         *                                  for a bad rule file
         */
        public AlertEvaluator build() {
            if (snapshots == null) {
                throw new IllegalArgumentException("an alert evaluator needs an engine or a snapshot supplier");
            }
            List<RuleGroup> all = new ArrayList<>(groups);
            if (!ungrouped.isEmpty()) {
                all.add(new RuleGroup(DEFAULT_GROUP, null, ungrouped));
            }
            if (ruleFile != null) {
                all.addAll(RuleFile.load(ruleFile, interval));
            }
            resolvedGroups = all;
            return new AlertEvaluator(this);
        }
    }
}
