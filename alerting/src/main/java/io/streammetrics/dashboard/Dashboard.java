package io.streammetrics.dashboard;

import io.streammetrics.MetricsEngine;
import io.streammetrics.alert.Alert;
import io.streammetrics.alert.expr.EvalContext;
import io.streammetrics.alert.expr.Expr;
import io.streammetrics.alert.expr.ExprParser;
import io.streammetrics.alert.expr.Sample;
import io.streammetrics.common.Durations;
import io.streammetrics.common.EngineClock;
import io.streammetrics.health.HealthReport;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.window.WindowSettings;
import io.streammetrics.window.WindowStore;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The seed's dashboard data, kept current: every interval it takes a snapshot, appends it to its windows and
 * computes a {@link DashboardData} (per-stage throughput, p50/p99 latency and error ratio over the window, alert
 * counts by severity, health, process vital signs, engine self-metrics), which {@link #data()} returns without work.
 *
 * <pre>{@code
 * Dashboard dashboard = Dashboard.builder(engine)
 *         .window(Duration.ofMinutes(1))
 *         .alerts(evaluator::activeAlerts)
 *         .health(health::report)
 *         .build()
 *         .start();
 * String json = dashboard.data().toJson();
 * }</pre>
 *
 * Rates and quantiles are those of the rule language over the same windows ({@code rate(...[1m])},
 * {@code quantile(0.99, ...[1m])}), so the dashboard agrees with what the rules see. A window needs two samples, so
 * rates are unknown ({@code NaN}) for the first interval. Thread-safe; {@link #close()} stops the refresh thread.
 *
 * <p>Viewers that keep a history (a live console) {@link #addListener listen} to every refresh instead of computing
 * their own, so that the numbers are computed once per interval whatever the number of viewers, and may
 * {@link #watch} further expressions of the rule language, evaluated over the same windows at every refresh (at most
 * {@link Builder#maxWatches(int)}).
 */
public final class Dashboard implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Dashboard.class.getName());

    private final Supplier<MetricsSnapshot> snapshots;
    private final Supplier<? extends Collection<Alert>> alerts;
    private final Supplier<HealthReport> health;
    private final EngineClock clock;
    private final Duration interval;
    private final long windowMillis;
    private final DashboardQueries queries;
    private final WindowStore windows;
    private final int maxWatches;
    private final Map<String, Expr> watches = new LinkedHashMap<>();
    private final List<DashboardListener> listeners = new CopyOnWriteArrayList<>();
    private volatile DashboardData data;
    private ScheduledExecutorService scheduler;
    private boolean failureLogged;
    private boolean listenerFailureLogged;

    private Dashboard(Builder builder) {
        this.snapshots = builder.engine::snapshot;
        this.alerts = builder.alerts;
        this.health = builder.health;
        this.clock = builder.clock;
        this.interval = builder.interval;
        this.windowMillis = builder.window.toMillis();
        this.queries = new DashboardQueries(builder.window);
        this.windows = new WindowStore(WindowSettings.of(builder.interval));
        this.maxWatches = builder.maxWatches;
        queries.declareWindows(windows);
        this.data = new DashboardData(clock.epochMillis(), windowMillis, List.of(), List.of(), null, Map.of(), Map.of(),
                Map.of());
    }

    /** A builder for a dashboard of {@code engine}'s metrics. */
    public static Builder builder(MetricsEngine engine) {
        return new Builder(engine);
    }

    /** Refreshes every interval on a daemon thread, starting now. Idempotent. */
    public synchronized Dashboard start() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "streammetrics-dashboard");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.scheduleAtFixedRate(this::refreshGuarded, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void refreshGuarded() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // Keep the schedule (a cancelled task would freeze the dashboard) and the log quiet.
            if (!failureLogged) {
                failureLogged = true;
                LOG.log(System.Logger.Level.WARNING, "dashboard refresh failed; later failures are not logged", e);
            }
        }
    }

    /** Takes a snapshot now, appends it to the windows and recomputes {@link #data()}; returns the new data. */
    public synchronized DashboardData refresh() {
        long now = clock.epochMillis();
        MetricsSnapshot snapshot = snapshots.get();
        windows.update(snapshot, now);
        EvalContext context = new EvalContext(snapshot, windows, now);
        Map<String, List<Sample>> watched = new LinkedHashMap<>();
        watches.forEach((expression, expr) -> watched.put(expression, evaluateWatch(expr, context)));
        DashboardData next = new DashboardData(now, windowMillis, queries.stages(context), List.copyOf(alerts.get()),
                health == null ? null : health.get(), queries.process(context), queries.engine(context), watched);
        data = next;
        for (DashboardListener listener : listeners) {
            try {
                listener.refreshed(snapshot, next);
            } catch (RuntimeException e) {
                // A viewer's bug must not stop the refreshes the others see.
                if (!listenerFailureLogged) {
                    listenerFailureLogged = true;
                    LOG.log(System.Logger.Level.WARNING, "dashboard listener " + listener
                            + " failed; later failures are not logged", e);
                }
            }
        }
        return next;
    }

    private static List<Sample> evaluateWatch(Expr expr, EvalContext context) {
        try {
            return expr.evaluate(context);
        } catch (RuntimeException e) {
            // An expression that parses may still not apply to the data (a quantile of a counter): no samples, as
            // for a series that does not exist, rather than no refresh at all.
            return List.of();
        }
    }

    /**
     * Calls {@code listener} after every refresh, on the refreshing thread, with the snapshot the refresh read and
     * the data it computed. A listener must be quick (it delays the next refresh); an exception it throws is logged
     * once and does not reach the other listeners.
     */
    public void addListener(DashboardListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Stops calling {@code listener}; returns whether it was added. */
    public boolean removeListener(DashboardListener listener) {
        return listeners.remove(listener);
    }

    /**
     * Evaluates {@code expression} (the rule language, see {@code ExprParser}) at every refresh from the next one on,
     * over the dashboard's windows; its samples appear in {@link DashboardData#watched()} under the same text. A
     * windowed function needs two refreshes before it has a value. Watching an expression already watched does
     * nothing.
     *
     * @throws IllegalArgumentException if the expression does not parse (the message names the problem)
     * @throws IllegalStateException if {@link Builder#maxWatches(int)} expressions are already watched
     */
    public synchronized void watch(String expression) {
        if (watches.containsKey(expression)) {
            return;
        }
        Expr expr = ExprParser.parse(expression);
        if (watches.size() >= maxWatches) {
            throw new IllegalStateException("the dashboard already watches " + maxWatches + " expressions");
        }
        watches.put(expression, expr);
        expr.declareWindows(windows);
    }

    /** Stops evaluating {@code expression}; its windows go at the next refresh. Returns whether it was watched. */
    public synchronized boolean unwatch(String expression) {
        if (watches.remove(expression) == null) {
            return false;
        }
        windows.clearRequirements();
        queries.declareWindows(windows);
        watches.values().forEach(expr -> expr.declareWindows(windows));
        return true;
    }

    /** The refresh interval, also the windows' resolution. */
    public Duration interval() {
        return interval;
    }

    /** The data of the last refresh (empty before the first). */
    public DashboardData data() {
        return data;
    }

    /** The window rates and quantiles are computed over. */
    public Duration window() {
        return Duration.ofMillis(windowMillis);
    }

    /** Stops the refresh thread. */
    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** Builds a {@link Dashboard}. */
    public static final class Builder {
        private final MetricsEngine engine;
        private Duration window = Duration.ofMinutes(1);
        private Duration interval = Duration.ofSeconds(1);
        private Supplier<? extends Collection<Alert>> alerts = List::of;
        private Supplier<HealthReport> health;
        private EngineClock clock = EngineClock.SYSTEM;
        private int maxWatches = 64;

        private Builder(MetricsEngine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
        }

        /** The window of rates and quantiles (default 1 min, at least two intervals). */
        public Builder window(Duration window) {
            this.window = Durations.positive(window, "window");
            return this;
        }

        /** How often the data is refreshed (default 1 s), also the windows' resolution. */
        public Builder interval(Duration interval) {
            this.interval = Durations.positive(interval, "interval");
            return this;
        }

        /** Where the active alerts come from (for example {@code evaluator::activeAlerts}); default none. */
        public Builder alerts(Supplier<? extends Collection<Alert>> alerts) {
            this.alerts = Objects.requireNonNull(alerts, "alerts");
            return this;
        }

        /** Where the health report comes from (for example {@code monitor::report}); default none. */
        public Builder health(Supplier<HealthReport> health) {
            this.health = Objects.requireNonNull(health, "health");
            return this;
        }

        /** Most expressions {@link Dashboard#watch} accepts at once (default 64), which bounds their windows. */
        public Builder maxWatches(int maxWatches) {
            if (maxWatches < 0) {
                throw new IllegalArgumentException("maxWatches must not be negative, got " + maxWatches);
            }
            this.maxWatches = maxWatches;
            return this;
        }

        /** The clock of refresh times (default the system clock). */
        public Builder clock(EngineClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the dashboard (not started).
         *
         * @throws IllegalArgumentException if the window is shorter than two intervals
         */
        public Dashboard build() {
            if (window.compareTo(interval.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException("dashboard window " + Durations.format(window)
                        + " must be at least two intervals (" + Durations.format(interval) + ")");
            }
            return new Dashboard(this);
        }
    }
}
