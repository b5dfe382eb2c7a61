package io.streammetrics.health;

import io.streammetrics.alert.Alert;
import io.streammetrics.alert.AlertState;
import io.streammetrics.alert.rule.Severity;
import io.streammetrics.common.Durations;
import io.streammetrics.common.EngineClock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The process's overall health, from the firing alerts and the registered component checks.
 *
 * <pre>{@code
 * CircuitBreakerCheck payments = CircuitBreakerCheck.create();
 * HealthMonitor health = HealthMonitor.builder()
 *         .alerts(evaluator::activeAlerts)
 *         .register("kafka", DependencyCheck.of(() -> admin.describeCluster().nodes().get(1, SECONDS) != null))
 *         .register("payments-circuit", payments)
 *         .build();
 * HealthReport report = health.report();   // report.httpStatus(), report.toJson()
 * }</pre>
 *
 * <ul>
 *   <li>Firing alerts of severity warning make the process {@link HealthStatus#DEGRADED}, critical and fatal ones
 *       {@link HealthStatus#CRITICAL}; info alerts and pending alerts do not count.</li>
 *   <li>Checks run concurrently on a small bounded pool of daemon threads (2 by default), all against one deadline
 *       (the check timeout, 5 s by default): a check that throws, returns {@code null} or misses the deadline is
 *       reported critical with the reason, and is interrupted. A check still running from an earlier report (one
 *       that ignores interrupts) is reported critical again without being started twice, so a hung check cannot
 *       take over the pool.</li>
 *   <li>A report is cached for a short time (1 s by default, measured on the {@link EngineClock}): a storm of
 *       probes runs the checks once per TTL. Concurrent callers while a report is being made wait for it.</li>
 * </ul>
 *
 * Thread-safe. {@link #close()} stops the check threads.
 */
public final class HealthMonitor implements AutoCloseable {
    /** The component a report lists when the alert source throws; no check may take this name. */
    public static final String ALERTS_COMPONENT = "alerts";

    private final Supplier<? extends Collection<Alert>> alerts;
    private final EngineClock clock;
    private final Duration checkTimeout;
    private final long cacheTtlNanos;
    private final ThreadPoolExecutor executor;
    // Registration order is the report's order; guarded by itself.
    private final Map<String, Registration> checks = new LinkedHashMap<>();
    private HealthReport cached;
    private long cachedAtNanos;

    private HealthMonitor(Builder builder) {
        this.alerts = builder.alerts;
        this.clock = builder.clock;
        this.checkTimeout = builder.checkTimeout;
        this.cacheTtlNanos = builder.cacheTtl.toNanos();
        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(builder.threads, builder.threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(builder.queueCapacity), runnable -> {
                    // Daemon: a hung check must not keep the JVM from exiting.
                    Thread thread = new Thread(runnable, "streammetrics-health-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        builder.checks.forEach(this::register);
    }

    /** A builder: no alerts, no checks, 5 s check timeout, 1 s cache. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds a component check; it appears in reports made from now on (the cached one is dropped).
     *
     * @throws IllegalArgumentException if the name is blank or taken
     */
    public void register(String name, HealthCheck check) {
        validName(name);
        Objects.requireNonNull(check, "check");
        synchronized (checks) {
            if (checks.putIfAbsent(name, new Registration(name, check)) != null) {
                throw new IllegalArgumentException("health check '" + name + "' is already registered");
            }
        }
        invalidate();
    }

    /** Removes a component check; returns whether it was registered. */
    public boolean unregister(String name) {
        boolean removed;
        synchronized (checks) {
            removed = checks.remove(name) != null;
        }
        invalidate();
        return removed;
    }

    /** The current report: the cached one if younger than the cache TTL, else a new one (running the checks). */
    public synchronized HealthReport report() {
        long now = clock.nanoTime();
        if (cached == null || now - cachedAtNanos >= cacheTtlNanos) {
            cached = evaluate();
            cachedAtNanos = now;
        }
        return cached;
    }

    /** Stops the check threads, interrupting running checks. */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    private synchronized void invalidate() {
        cached = null;
    }

    private HealthReport evaluate() {
        List<Registration> registrations;
        synchronized (checks) {
            registrations = new ArrayList<>(checks.values());
        }
        List<ComponentHealth> components = new ArrayList<>(registrations.size() + 1);
        Map<Severity, Integer> firing = new EnumMap<>(Severity.class);
        try {
            for (Alert alert : alerts.get()) {
                if (alert.state() == AlertState.FIRING) {
                    firing.merge(alert.severity(), 1, Integer::sum);
                }
            }
        } catch (RuntimeException e) {
            // Without the alerts the status could hide a critical one: say so rather than report healthy.
            components.add(new ComponentHealth(ALERTS_COMPONENT, HealthStatus.CRITICAL, "could not read the firing alerts: " + e,
                    Duration.ZERO));
        }
        long deadline = System.nanoTime() + checkTimeout.toNanos();
        List<Future<ComponentHealth>> futures = new ArrayList<>(registrations.size());
        for (Registration registration : registrations) {
            futures.add(registration.start());
        }
        for (int i = 0; i < registrations.size(); i++) {
            components.add(registrations.get(i).await(futures.get(i), deadline));
        }
        return HealthReport.of(components, firing, clock.epochMillis());
    }

    private static void validName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("health check name must not be blank");
        }
        if (name.equals(ALERTS_COMPONENT)) {
            throw new IllegalArgumentException("health check name '" + ALERTS_COMPONENT
                    + "' is reserved for a failing alert source");
        }
    }

    /** A registered check and whether a run of it is still going. */
    private final class Registration {
        private final String name;
        private final HealthCheck check;
        private final AtomicBoolean running = new AtomicBoolean();

        Registration(String name, HealthCheck check) {
            this.name = name;
            this.check = check;
        }

        /** Submits a run, or returns {@code null} with nothing submitted when it cannot run now. */
        Future<ComponentHealth> start() {
            // Reports are made one at a time (report() is synchronized), so this check and the submit do not race.
            if (running.get()) {
                return null;
            }
            try {
                return executor.submit(this::run);
            } catch (RejectedExecutionException e) {
                return null;
            }
        }

        private ComponentHealth run() {
            // Set here, not on submit: a queued run cancelled by the timeout never starts, and must not count as running.
            running.set(true);
            long start = clock.nanoTime();
            try {
                HealthCheckResult result = check.check();
                Duration took = Duration.ofNanos(clock.nanoTime() - start);
                return result == null ? failed("check returned null", took)
                        : new ComponentHealth(name, result.status(), result.detail(), took);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                return failed("check threw " + e, Duration.ofNanos(clock.nanoTime() - start));
            } finally {
                running.set(false);
            }
        }

        ComponentHealth await(Future<ComponentHealth> future, long deadline) {
            if (future == null) {
                return failed(running.get()
                        ? "still running since an earlier report (longer than the " + checkTimeout + " timeout)"
                        : "not run: all health check threads are busy", Duration.ZERO);
            }
            try {
                return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // Interrupt it; if it ignores that, running stays set and later reports say so without resubmitting.
                future.cancel(true);
                return failed("timed out after " + checkTimeout, checkTimeout);
            } catch (ExecutionException e) {
                return failed("check failed: " + e.getCause(), Duration.ZERO);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                future.cancel(true);
                return failed("interrupted while waiting for the check", Duration.ZERO);
            } catch (CancellationException e) {
                return failed("cancelled (health monitor closed)", Duration.ZERO);
            }
        }

        private ComponentHealth failed(String why, Duration took) {
            return new ComponentHealth(name, HealthStatus.CRITICAL, why, took);
        }
    }

    /** Builds a {@link HealthMonitor}. */
    public static final class Builder {
        private final Map<String, HealthCheck> checks = new LinkedHashMap<>();
        private Supplier<? extends Collection<Alert>> alerts = List::of;
        private EngineClock clock = EngineClock.SYSTEM;
        private Duration checkTimeout = Duration.ofSeconds(5);
        private Duration cacheTtl = Duration.ofSeconds(1);
        private int threads = 2;
        private int queueCapacity = 64;

        private Builder() {
        }

        /** Where the active alerts come from (the evaluator); only firing ones count. Default: none. */
        public Builder alerts(Supplier<? extends Collection<Alert>> alerts) {
            this.alerts = Objects.requireNonNull(alerts, "alerts");
            return this;
        }

        /**
         * Registers a component check.
         *
         * @throws IllegalArgumentException if the name is blank or taken
         */
        public Builder register(String name, HealthCheck check) {
            validName(name);
            Objects.requireNonNull(check, "check");
            if (checks.putIfAbsent(name, check) != null) {
                throw new IllegalArgumentException("health check '" + name + "' is already registered");
            }
            return this;
        }

        /** The clock for the cache TTL, check durations and report timestamps (default the system clock). */
        public Builder clock(EngineClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long the checks of one report may take together (default 5 s). */
        public Builder checkTimeout(Duration checkTimeout) {
            this.checkTimeout = Durations.positive(checkTimeout, "checkTimeout");
            return this;
        }

        /** How long a report is served from the cache (default 1 s; zero runs the checks on every call). */
        public Builder cacheTtl(Duration cacheTtl) {
            this.cacheTtl = Durations.notNegative(cacheTtl, "cacheTtl");
            return this;
        }

        /** Threads that run checks (default 2), and how many runs may wait for one (default 64). */
        public Builder threads(int threads, int queueCapacity) {
            if (threads < 1 || queueCapacity < 1) {
                throw new IllegalArgumentException("threads and queueCapacity must be >= 1, got " + threads + " and "
                        + queueCapacity);
            }
            this.threads = threads;
            this.queueCapacity = queueCapacity;
            return this;
        }

        /** Builds the monitor. */
        public HealthMonitor build() {
            return new HealthMonitor(this);
        }
    }
}
