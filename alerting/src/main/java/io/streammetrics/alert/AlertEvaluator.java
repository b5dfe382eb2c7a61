package io.streammetrics.alert;

import io.streammetrics.Durations;
import io.streammetrics.EngineClock;
import io.streammetrics.MetricsEngine;
import io.streammetrics.alert.config.RuleFile;
import io.streammetrics.alert.config.RuleFileException;
import io.streammetrics.alert.expr.EvalContext;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.window.WindowSettings;
import io.streammetrics.window.WindowStore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
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
    private static final System.Logger LOG = System.getLogger(AlertEvaluator.class.getName());
    private static final String DEFAULT_GROUP = "default";
    /** Default bound on the silences in force: each is matched against every alert at every evaluation. */
    public static final int DEFAULT_MAX_SILENCES = 1_000;
    private static final long NONE = Long.MIN_VALUE;

    private final Supplier<MetricsSnapshot> snapshots;
    private final EngineClock clock;
    private final long intervalMillis;
    private final WindowStore windows;
    private final AlertHistory history;
    private final AlertSelfMetrics selfMetrics;
    private final Map<String, NotificationDispatcher> dispatchers = new LinkedHashMap<>();
    private final Set<String> defaultNotifiers = new LinkedHashSet<>();
    private final ReentrantLock lock = new ReentrantLock();
    // Immutable, replaced under silenceWrites: the evaluator and notifier threads read it without any lock.
    private volatile List<Silence> silences = List.of();
    private final Object silenceWrites = new Object();
    private final int maxSilences;
    /** Acknowledgements waiting for the evaluating thread (applied under the lock, at the start of a pass). */
    private final ConcurrentLinkedQueue<String[]> pendingAcks = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private final AtomicLong snapshotFailures = new AtomicLong();
    private final Sink sink = new Sink();
    private List<GroupState> groups = List.of();
    // Read without the lock by firingAlerts(String), which notifiers call from their own threads.
    private volatile Map<String, AlertRule> rulesByName = Map.of();
    private volatile List<Alert> active = List.of();
    private volatile RuleFileException lastLoadError;
    private volatile ScheduledExecutorService scheduler;
    private TickGrid grid;
    private long now;
    /** The time of the last snapshot appended to the windows: a snapshot not newer than it is not appended. */
    private long lastAppendedMillis = Long.MIN_VALUE;
    private volatile long startedNanos = NONE;
    private volatile long runningSinceNanos = NONE;
    private volatile long lastEndNanos = NONE;
    private volatile long lastEvaluationMillis;
    private volatile long lastDurationNanos;
    private final AtomicLong evaluations = new AtomicLong();
    private final AtomicLong skippedTicks = new AtomicLong();

    private static final class GroupState {
        final RuleGroup group;
        final List<RuleState> rules;
        long lastEvaluatedMillis = Long.MIN_VALUE;

        GroupState(RuleGroup group, List<RuleState> rules) {
            this.group = group;
            this.rules = rules;
        }
    }

    private AlertEvaluator(Builder builder) {
        this.snapshots = builder.snapshots;
        this.clock = builder.clock;
        this.intervalMillis = builder.interval.toMillis();
        this.windows = new WindowStore(builder.windowSettings != null ? builder.windowSettings
                : WindowSettings.of(builder.interval));
        this.history = new AlertHistory(builder.historySize);
        this.selfMetrics = new AlertSelfMetrics(builder.engine);
        this.maxSilences = builder.maxSilences;
        for (NotifierRegistration registration : builder.notifiers) {
            String name = registration.notifier.name();
            dispatchers.put(name, new NotificationDispatcher(registration.notifier, builder.queueCapacity,
                    selfMetrics::notification));
            if (!registration.escalationOnly) {
                defaultNotifiers.add(name);
            }
        }
        try {
            setRules(builder.resolvedGroups);
            for (NotifierRegistration registration : builder.notifiers) {
                String name = registration.notifier.name();
                registration.notifier.registered(() -> firingAlerts(name));
            }
        } catch (RuntimeException e) {
            // The caller still owns the notifiers of an evaluator that was never built: stop only our threads.
            dispatchers.values().forEach(dispatcher -> dispatcher.close(0));
            throw e;
        }
    }

    /** A builder; {@link Builder#engine} or {@link Builder#snapshots} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts evaluating every interval on a daemon thread, the first time one interval from now. Idempotent. */
    public synchronized AlertEvaluator start() {
        if (scheduler == null) {
            ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "streammetrics-alert-evaluator");
                thread.setDaemon(true);
                return thread;
            });
            // Real time, not the clock's: a test's hand-driven clock must not stop the thread's schedule.
            grid = new TickGrid(System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(intervalMillis));
            startedNanos = clock.nanoTime();
            scheduler = executor;
            executor.schedule(this::tick, grid.first() - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
        return this;
    }

    /** One tick of the evaluator thread: evaluate, then wait for the first grid point after the evaluation ended. */
    private void tick() {
        try {
            evaluateOnce();
        } catch (RuntimeException | Error e) {
            // A failure must not end the schedule: the next tick tries again.
            LOG.log(System.Logger.Level.ERROR, "alert evaluation failed", e);
        }
        long skipped = grid.advance(System.nanoTime());
        if (skipped > 0) {
            skippedTicks.addAndGet(skipped);
            selfMetrics.ticksSkipped(skipped);
        }
        try {
            scheduler.schedule(this::tick, grid.current() - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // Closed meanwhile.
        }
    }

    /**
     * Runs one evaluation now, at the time of the snapshot it takes: snapshot, windows, every rule that is due,
     * events. Returns when the events are queued for the notifiers (not when they are delivered). A snapshot not
     * newer than the one before is evaluated but not appended to the windows (two samples at one instant have no
     * rate).
     */
    public void evaluateOnce() {
        lock.lock();
        try {
            long startNanos = clock.nanoTime();
            runningSinceNanos = startNanos;
            applyAcknowledgements();
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
            dropExpiredSilences(now);
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
            long endNanos = clock.nanoTime();
            lastDurationNanos = endNanos - startNanos;
            lastEvaluationMillis = now;
            lastEndNanos = endNanos;
            evaluations.incrementAndGet();
            selfMetrics.evaluation(endNanos - startNanos, now);
        } finally {
            runningSinceNanos = NONE;
            lock.unlock();
        }
    }

    /** How the evaluation loop is doing (for health checks and operators). Takes no lock. */
    public EvaluatorStatus status() {
        long at = clock.nanoTime();
        ScheduledExecutorService executor = scheduler;
        long since = Math.max(lastEndNanos, startedNanos);
        long running = runningSinceNanos;
        return new EvaluatorStatus(executor != null && !executor.isShutdown(), Duration.ofMillis(intervalMillis),
                evaluations.get(), lastEvaluationMillis, Duration.ofNanos(lastDurationNanos),
                since == NONE ? -1 : at - since, running == NONE ? -1 : at - running, skippedTicks.get());
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

    /** The pending and firing alerts as of the last evaluation (or acknowledgement). */
    public List<Alert> activeAlerts() {
        return active;
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
        if (!dispatchers.containsKey(notifier)) {
            throw new IllegalArgumentException("no notifier named '" + notifier + "'");
        }
        Map<String, AlertRule> rules = rulesByName;
        long at = clock.epochMillis();
        List<Alert> firing = new ArrayList<>();
        for (Alert alert : active) {
            AlertRule rule = rules.get(alert.ruleName());
            if (alert.state() == AlertState.FIRING && rule != null
                    && targets(rule, alert.escalated()).contains(notifier) && !silenced(alert.labels(), at)) {
                firing.add(alert);
            }
        }
        return firing;
    }

    /** The notifiers the events of {@code rule}'s alerts go to, once escalated or not. */
    private Set<String> targets(AlertRule rule, boolean escalated) {
        Set<String> targets = new LinkedHashSet<>(rule.notifiers().isEmpty() ? defaultNotifiers : rule.notifiers());
        Escalation escalation = rule.escalation();
        if (escalated && escalation != null && escalation.notifier() != null) {
            targets.add(escalation.notifier());
        }
        return targets;
    }

    private boolean silenced(Map<String, String> labels, long atMillis) {
        for (Silence silence : silences) {
            if (silence.silences(labels, atMillis)) {
                return true;
            }
        }
        return false;
    }

    /** The active alert with this id. */
    public Optional<Alert> alert(String id) {
        return active.stream().filter(alert -> alert.id().equals(id)).findFirst();
    }

    /** The most recent events (every transition, repeat and escalation, notified or not), oldest first. */
    public List<AlertEvent> history() {
        return history.snapshot();
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
        pendingAcks.add(new String[] {alertId, by});
        if (lock.tryLock()) {
            try {
                if (applyAcknowledgements()) {
                    publish();
                }
            } finally {
                lock.unlock();
            }
        }
        return true;
    }

    /** Applies the queued acknowledgements; the caller holds the lock. Whether any alert changed. */
    private boolean applyAcknowledgements() {
        boolean changed = false;
        for (String[] ack; (ack = pendingAcks.poll()) != null; ) {
            changed |= applyAcknowledgement(ack[0], ack[1]);
        }
        return changed;
    }

    private boolean applyAcknowledgement(String alertId, String by) {
        for (GroupState group : groups) {
            for (RuleState rule : group.rules) {
                for (AlertInstance instance : rule.alerts.values()) {
                    if (instance.id.equals(alertId) && instance.isActive()) {
                        instance.acknowledgedBy = by;
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Silences the alerts matching every matcher for {@code duration} from now (the evaluator's clock).
     *
     * @throws IllegalStateException when {@link Builder#maxSilences(int)} silences are already in force
     * @throws IllegalArgumentException for a duration beyond what epoch milliseconds hold
     */
    public Silence silence(List<LabelMatcher> matchers, Duration duration, String createdBy, String comment) {
        long endsAt;
        try {
            endsAt = Math.addExact(clock.epochMillis(), duration.toMillis());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("silence duration " + duration + " ends beyond the year 292278994", e);
        }
        Silence silence = Silence.of(matchers, endsAt, createdBy, comment);
        addSilence(silence);
        return silence;
    }

    /**
     * Adds a silence (expired silences are dropped first).
     *
     * @throws IllegalStateException when {@link Builder#maxSilences(int)} silences are already in force
     */
    public void addSilence(Silence silence) {
        Objects.requireNonNull(silence, "silence");
        synchronized (silenceWrites) {
            List<Silence> live = unexpired(silences, clock.epochMillis());
            if (live.size() >= maxSilences) {
                silences = live;
                throw new IllegalStateException("too many silences: " + maxSilences
                        + " are in force; expire one or wait for one to end");
            }
            List<Silence> next = new ArrayList<>(live.size() + 1);
            next.addAll(live);
            next.add(silence);
            silences = List.copyOf(next);
        }
    }

    /** Ends a silence now; false if there is none with this id. */
    public boolean expireSilence(String id) {
        synchronized (silenceWrites) {
            List<Silence> current = silences;
            List<Silence> next = new ArrayList<>(current.size());
            for (Silence silence : current) {
                if (!silence.id().equals(id)) {
                    next.add(silence);
                }
            }
            if (next.size() == current.size()) {
                return false;
            }
            silences = List.copyOf(next);
            return true;
        }
    }

    /** The silences in force now (expired ones are dropped at each evaluation and when one is added). */
    public List<Silence> silences() {
        return unexpired(silences, clock.epochMillis());
    }

    private void dropExpiredSilences(long atMillis) {
        synchronized (silenceWrites) {
            silences = unexpired(silences, atMillis);
        }
    }

    private static List<Silence> unexpired(List<Silence> silences, long atMillis) {
        for (Silence silence : silences) {
            if (atMillis >= silence.endsAtMillis()) {
                List<Silence> live = new ArrayList<>(silences.size());
                for (Silence candidate : silences) {
                    if (atMillis < candidate.endsAtMillis()) {
                        live.add(candidate);
                    }
                }
                return List.copyOf(live);
            }
        }
        return silences;
    }

    /** What happened to the events of one notifier. */
    public NotificationStats notificationStats(String notifier) {
        NotificationDispatcher dispatcher = dispatchers.get(notifier);
        if (dispatcher == null) {
            throw new IllegalArgumentException("no notifier named '" + notifier + "'");
        }
        return dispatcher.stats();
    }

    /** How many evaluations of this rule threw. */
    public long evaluationFailures(String rule) {
        AtomicLong count = failures.get(rule);
        return count == null ? 0 : count.get();
    }

    /** The rule groups in force. */
    public List<RuleGroup> ruleGroups() {
        lock.lock();
        try {
            return groups.stream().map(group -> group.group).toList();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Replaces the rules. Alerts of rules that keep their name keep their state (a pending alert stays pending);
     * windows still read keep their history.
     *
     * @throws IllegalArgumentException for duplicate rule names, unknown notifiers or a group interval shorter than
     *                                  the evaluation interval; the old rules then stay
     */
    public void setRules(List<RuleGroup> newGroups) {
        validate(newGroups);
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
                    if (!dispatchers.containsKey(notifier)) {
                        throw new IllegalArgumentException("rule '" + rule.name() + "' routes to notifier '" + notifier
                                + "', which is not registered (registered: " + dispatchers.keySet() + ")");
                    }
                }
            }
        }
    }

    /**
     * Loads (or reloads) rules from a YAML rule file. A bad file changes nothing: the old rules stay, the error is
     * kept in {@link #lastLoadError()}, logged, counted ({@code streammetrics_rule_reloads_total{result="failure"}})
     * and thrown.
     *
     * @throws RuleFileException naming the file, the line and the problem
     */
    public void loadRuleFile(Path file) {
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
    public RuleFileException lastLoadError() {
        return lastLoadError;
    }

    /**
     * Stops the evaluation thread and the notifier threads (each given up to a second to send what is queued), then
     * closes the notifiers that are {@link AutoCloseable} (an {@code AlertmanagerNotifier}'s resend thread, for
     * one). A notifier whose close throws is logged; the others are still closed.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
        }
        for (NotificationDispatcher dispatcher : dispatchers.values()) {
            dispatcher.close();
        }
        for (NotificationDispatcher dispatcher : dispatchers.values()) {
            dispatcher.closeNotifier();
        }
    }

    /** Records every event and queues the ones to send. */
    private final class Sink implements AlertSink {
        @Override
        public void emit(AlertRule rule, AlertEvent event, boolean dispatch, String escalatedTo) {
            history.add(event);
            if (!dispatch) {
                return;
            }
            for (String target : targets(rule, escalatedTo != null)) {
                dispatchers.get(target).offer(event);
            }
        }

        @Override
        public boolean silenced(Map<String, String> labels) {
            return AlertEvaluator.this.silenced(labels, now);
        }
    }

    private record NotifierRegistration(AlertNotifier notifier, boolean escalationOnly) {
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
        private final List<NotifierRegistration> notifiers = new ArrayList<>();
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
            for (NotifierRegistration registration : notifiers) {
                if (registration.notifier.name().equals(notifier.name())) {
                    throw new IllegalArgumentException("duplicate notifier name '" + notifier.name() + "'");
                }
            }
            notifiers.add(new NotifierRegistration(notifier, escalationOnly));
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
