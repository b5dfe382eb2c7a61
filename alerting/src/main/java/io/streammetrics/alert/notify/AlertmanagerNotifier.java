package io.streammetrics.alert.notify;

import io.streammetrics.alert.Alert;
import io.streammetrics.alert.AlertEvent;
import io.streammetrics.alert.AlertNotifier;
import io.streammetrics.alert.AlertState;
import io.streammetrics.common.EngineClock;
import io.streammetrics.json.JsonWriter;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Sends alerts to one or more Prometheus Alertmanagers through API v2 ({@code POST /api/v2/alerts}), the way
 * Prometheus' own notifier does.
 *
 * <pre>{@code
 * try (AlertmanagerNotifier alertmanager = AlertmanagerNotifier.builder()
 *         .alertmanager(URI.create("http://alertmanager-1:9093"))
 *         .alertmanager(URI.create("http://alertmanager-2:9093"))
 *         .generatorUrl(alert -> "https://grafana.example.com/d/stream?var-rule=" + alert.ruleName())
 *         .build()) {
 *     ...
 * }
 * }</pre>
 *
 * <ul>
 *   <li>Firing, repeated and escalated events are sent at once with {@code startsAt} = when the alert fired and
 *       {@code endsAt} = now + 4 x the resend interval, and the alert joins the set of firing alerts. A background
 *       thread re-sends that whole set every resend interval (default 1 minute, Prometheus' default), so an
 *       Alertmanager that restarted or missed a request learns the firing alerts again, and an alert whose process
 *       died expires there on its own after 4 intervals. Registered with an {@code AlertEvaluator}, the resend
 *       takes the evaluator's firing, non-silenced alerts routed to this notifier instead
 *       ({@link #registered}, {@code AlertEvaluator.firingAlerts(name)}), so that a lost event cannot keep an
 *       alert firing; {@link Builder#activeAlerts} sets another source.</li>
 *   <li>A resolved event is sent once, with {@code endsAt} = the resolution time, and leaves the set. Pending events
 *       and resolutions of alerts that never fired are not sent: Alertmanager only knows firing alerts.</li>
 *   <li>An escalation that changed the {@code severity} label makes a new alert for Alertmanager (labels are its
 *       identity), so the alert under its old labels is sent resolved in the same request.</li>
 *   <li>Each request goes to every Alertmanager (they deduplicate among themselves), retried per the
 *       {@link RetryPolicy}; {@link #notify} throws only when no Alertmanager accepted the alerts.</li>
 * </ul>
 *
 * <p>The caller's {@link #notify} blocks for its own request only: the resend thread takes no lock that a caller
 * waits for across I/O. A resend that was already on the wire when an alert resolved could reach Alertmanager after
 * the resolution and revive the alert until its {@code endsAt}; the resend thread therefore re-sends such a
 * resolution once its own request is done. Failed resends are counted ({@link #resendFailures()}) and logged as
 * one line without a stack trace, at most once per resend interval (and at least a minute), saying how many
 * failures the line stands for: an Alertmanager that keeps refusing does not flood the log.
 * {@link #close()} stops the resend thread; an evaluator closes the notifiers it was built with.
 */
public final class AlertmanagerNotifier implements AlertNotifier, AutoCloseable {
    /** The API path appended to each Alertmanager's base URL. */
    public static final String ALERTS_PATH = "/api/v2/alerts";
    private static final System.Logger LOG = System.getLogger(AlertmanagerNotifier.class.getName());
    /** Alerts per request, as Prometheus' notifier batches. */
    private static final int MAX_BATCH = 256;

    private final String name;
    private final List<URI> endpoints;
    private final JsonPoster poster;
    private final Duration resendInterval;
    private final Function<Alert, String> generatorUrl;
    private final EngineClock clock;
    // Set by the builder, or by the evaluator the notifier is registered with; null: the alerts seen in events.
    private volatile Supplier<? extends Collection<Alert>> activeAlerts;
    private final boolean activeAlertsGiven;
    private final ScheduledExecutorService resender;
    private final Map<String, Alert> firing = new ConcurrentHashMap<>();
    private final AtomicLong resendFailures = new AtomicLong();
    private final FailureLog failureLog;
    // Guards the two fields below; held only to read or swap them, never across I/O.
    private final Object flight = new Object();
    private Set<String> resendInFlight = Set.of();
    private List<Alert> resolvedDuringResend = new ArrayList<>();

    private AlertmanagerNotifier(Builder builder) {
        this.name = builder.name;
        this.endpoints = List.copyOf(builder.endpoints);
        this.poster = builder.http.build();
        this.resendInterval = builder.resendInterval;
        this.generatorUrl = builder.generatorUrl;
        this.clock = builder.clock;
        // One line per resend interval at most (at least a minute): the count says how many it stands for.
        this.failureLog = new FailureLog(LOG, clock, Math.max(60_000, resendInterval.toMillis()));
        this.activeAlerts = builder.activeAlerts;
        this.activeAlertsGiven = builder.activeAlerts != null;
        this.resender = Executors.newSingleThreadScheduledExecutor(runnable -> {
            // Daemon: a notifier left open must not keep the JVM alive.
            Thread thread = new Thread(runnable, "streammetrics-alertmanager-resend-" + name);
            thread.setDaemon(true);
            return thread;
        });
        long interval = resendInterval.toNanos();
        resender.scheduleWithFixedDelay(this::resendNow, interval, interval, TimeUnit.NANOSECONDS);
    }

    /** A builder; add at least one Alertmanager. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return name;
    }

    /** The {@code /api/v2/alerts} URLs alerts are posted to. */
    public List<URI> endpoints() {
        return endpoints;
    }

    /** The firing alerts seen in events (what the resend sends unless built with an active alert source), by id. */
    public Map<String, Alert> firingAlerts() {
        return Map.copyOf(firing);
    }

    /** Background resends that no Alertmanager accepted, since the notifier was built. */
    public long resendFailures() {
        return resendFailures.get();
    }

    @Override
    public void notify(AlertEvent event) throws Exception {
        Alert alert = event.alert();
        switch (event.kind()) {
            case PENDING -> {
                // Alertmanager has no pending state.
            }
            case FIRING, REPEAT, ESCALATED -> {
                Alert previous = firing.put(alert.id(), alert);
                long now = clock.epochMillis();
                if (previous != null && !previous.labels().equals(alert.labels())) {
                    repairIfInFlight(previous);
                    send(render(List.of(alert), List.of(previous), now));
                } else {
                    send(render(List.of(alert), List.of(), now));
                }
            }
            case RESOLVED -> {
                if (alert.firedAtMillis() == 0) {
                    return;
                }
                firing.remove(alert.id());
                repairIfInFlight(alert);
                send(render(List.of(), List.of(alert), clock.epochMillis()));
            }
        }
    }

    /**
     * Queues {@code ended} (an alert, or an alert's old labels) to be sent as resolved again after the resend in
     * flight, if that resend carries it as firing: its request could reach Alertmanager after ours.
     */
    private void repairIfInFlight(Alert ended) {
        synchronized (flight) {
            if (resendInFlight.contains(ended.id())) {
                resolvedDuringResend.add(ended);
            }
        }
    }

    /**
     * Makes the resend follow the evaluator's firing alerts for this notifier, unless the builder was given a source
     * ({@link Builder#activeAlerts}), which stays.
     *
     * @throws IllegalStateException if another evaluator registered this notifier already: the resend can follow
     *                               only one
     */
    @Override
    public void registered(Supplier<List<Alert>> firingAlerts) {
        Objects.requireNonNull(firingAlerts, "firingAlerts");
        synchronized (flight) {
            if (activeAlertsGiven) {
                return;
            }
            if (activeAlerts != null) {
                throw new IllegalStateException("Alertmanager notifier '" + name + "' is registered with an alert "
                        + "evaluator already; build one notifier per evaluator");
            }
            activeAlerts = firingAlerts;
        }
    }

    /** Re-sends every firing alert now; the resend thread's task, callable from tests. */
    void resendNow() {
        List<Alert> batch;
        synchronized (flight) {
            // Read the source under the lock: a resolution handled after this point sees the ids as in flight.
            batch = firingToResend();
            Set<String> ids = new HashSet<>();
            batch.forEach(alert -> ids.add(alert.id()));
            resendInFlight = ids;
        }
        try {
            for (int from = 0; from < batch.size(); from += MAX_BATCH) {
                List<Alert> chunk = batch.subList(from, Math.min(batch.size(), from + MAX_BATCH));
                sendInBackground(render(chunk, List.of(), clock.epochMillis()));
            }
        } finally {
            List<Alert> repairs;
            synchronized (flight) {
                resendInFlight = Set.of();
                repairs = resolvedDuringResend;
                resolvedDuringResend = new ArrayList<>();
            }
            if (!repairs.isEmpty()) {
                sendInBackground(render(List.of(), repairs, clock.epochMillis()));
            }
        }
    }

    private List<Alert> firingToResend() {
        Supplier<? extends Collection<Alert>> source = activeAlerts;
        if (source == null) {
            return new ArrayList<>(firing.values());
        }
        try {
            List<Alert> batch = new ArrayList<>();
            for (Alert alert : source.get()) {
                if (alert.state() == AlertState.FIRING) {
                    batch.add(alert);
                }
            }
            return batch;
        } catch (RuntimeException e) {
            resendFailures.incrementAndGet();
            failureLog.failed("active alert source failed; resending the alerts seen in events", e);
            return new ArrayList<>(firing.values());
        }
    }

    private void sendInBackground(String body) {
        try {
            send(body);
        } catch (InterruptedException e) {
            // close() interrupts: stop quietly.
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            resendFailures.incrementAndGet();
            failureLog.failed("resending firing alerts to Alertmanager failed", e);
        }
    }

    /** Posts {@code body} to every Alertmanager; fails only when none accepted it. */
    private void send(String body) throws IOException, InterruptedException {
        IOException failures = null;
        for (URI endpoint : endpoints) {
            try {
                poster.post(endpoint, body);
            } catch (IOException e) {
                if (failures == null) {
                    failures = new IOException("no Alertmanager accepted the alerts");
                }
                failures.addSuppressed(e);
            }
        }
        if (failures == null) {
            return;
        }
        if (failures.getSuppressed().length == endpoints.size()) {
            throw failures;
        }
        failureLog.failed("some Alertmanagers did not accept the alerts", failures);
    }

    /** The API v2 body: {@code firing} alerts valid for 4 resend intervals, {@code resolved} ones ended. */
    String render(List<Alert> firingAlerts, List<Alert> resolvedAlerts, long nowMillis) {
        JsonWriter json = new JsonWriter().beginArray();
        long validUntil = nowMillis + 4 * resendInterval.toMillis();
        for (Alert alert : firingAlerts) {
            alertObject(json, alert, validUntil);
        }
        for (Alert alert : resolvedAlerts) {
            alertObject(json, alert, alert.resolvedAtMillis() != 0 ? alert.resolvedAtMillis() : nowMillis);
        }
        return json.endArray().toString();
    }

    private void alertObject(JsonWriter json, Alert alert, long endsAtMillis) {
        json.beginObject().name("labels").beginObject();
        // alertname first is not required, but Alertmanager needs it for grouping and it may be missing from labels.
        if (!alert.labels().containsKey("alertname")) {
            json.name("alertname").value(alert.ruleName());
        }
        for (Map.Entry<String, String> label : new TreeMap<>(alert.labels()).entrySet()) {
            // An empty label value means "no such label" in Prometheus' model, and Alertmanager rejects it.
            if (!label.getValue().isEmpty()) {
                json.name(label.getKey()).value(label.getValue());
            }
        }
        json.endObject()
                .name("annotations").value(alert.annotations())
                .name("startsAt").timestamp(alert.firedAtMillis() != 0 ? alert.firedAtMillis() : alert.activeAtMillis())
                .name("endsAt").timestamp(endsAtMillis);
        String generator = generatorUrl == null ? null : generatorUrl.apply(alert);
        if (generator != null && !generator.isEmpty()) {
            json.name("generatorURL").value(generator);
        }
        json.endObject();
    }

    /** Stops the resend thread; Alertmanager lets the firing alerts expire at their {@code endsAt}. Idempotent. */
    @Override
    public void close() {
        resender.shutdownNow();
    }

    @Override
    public String toString() {
        return "AlertmanagerNotifier{" + name + " -> " + endpoints + '}';
    }

    /**
     * Builds an {@link AlertmanagerNotifier}: name (default {@code alertmanager}), headers (for an Alertmanager
     * behind an authenticating proxy), timeout (default 10 s) and retry policy (default 2 retries, backoff 500 ms to
     * 5 s: the resend covers longer outages) come from {@link HttpNotifierBuilder}.
     */
    public static final class Builder extends HttpNotifierBuilder<Builder> {
        private final List<URI> endpoints = new ArrayList<>();
        private Duration resendInterval = Duration.ofMinutes(1);
        private Function<Alert, String> generatorUrl;
        private EngineClock clock = EngineClock.SYSTEM;
        private Supplier<? extends Collection<Alert>> activeAlerts;

        private Builder() {
            super("alertmanager", RetryPolicy.builder().maxRetries(2).maxBackoff(Duration.ofSeconds(5)).build());
        }

        /**
         * Adds an Alertmanager by its base URL ({@code http://host:9093}, with its {@code --web.route-prefix} if
         * any); {@value AlertmanagerNotifier#ALERTS_PATH} is appended unless the URL already ends with it.
         *
         * @throws IllegalArgumentException if the URL is not absolute http or https, or was added already
         */
        public Builder alertmanager(URI baseUrl) {
            URI base = HttpUris.absolute(baseUrl, "Alertmanager URL");
            String text = base.toString().replaceAll("/+$", "");
            URI endpoint = URI.create(text.endsWith(ALERTS_PATH) ? text : text + ALERTS_PATH);
            if (endpoints.contains(endpoint)) {
                throw new IllegalArgumentException("Alertmanager " + endpoint + " added twice");
            }
            endpoints.add(endpoint);
            return this;
        }

        /**
         * How often firing alerts are re-sent (default 1 minute); firing alerts are sent with {@code endsAt} 4
         * intervals ahead.
         */
        public Builder resendInterval(Duration resendInterval) {
            Objects.requireNonNull(resendInterval, "resendInterval");
            if (resendInterval.toMillis() < 1) {
                throw new IllegalArgumentException("resendInterval must be at least 1 ms, got " + resendInterval);
            }
            this.resendInterval = resendInterval;
            return this;
        }

        /**
         * The {@code generatorURL} of an alert (a link back to where it came from: a dashboard, the rule's source);
         * a {@code null} or empty result leaves the field out. Default: left out.
         */
        public Builder generatorUrl(Function<Alert, String> generatorUrl) {
            this.generatorUrl = Objects.requireNonNull(generatorUrl, "generatorUrl");
            return this;
        }

        /**
         * Where the resend takes the firing alerts from, instead of the set this notifier builds from the events it
         * was given. Not needed with an evaluator, which registers {@code AlertEvaluator.firingAlerts(name)} (its
         * alerts routed here, minus the silenced ones) when it is built; a source set here takes precedence. An event
         * that never arrives (dropped from a full notifier queue) then cannot leave an alert firing in Alertmanager
         * after it resolved; it expires there within 4 resend intervals, as with Prometheus. Called on the resend
         * thread while a resolution being notified waits, so it must be quick (a copy, no I/O). Only alerts in
         * state {@link AlertState#FIRING} are sent.
         */
        public Builder activeAlerts(Supplier<? extends Collection<Alert>> activeAlerts) {
            this.activeAlerts = Objects.requireNonNull(activeAlerts, "activeAlerts");
            return this;
        }

        /** The wall clock {@code endsAt} is computed from (default the system clock). */
        public Builder clock(EngineClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the notifier and starts its resend thread.
         *
         * @throws IllegalArgumentException if no Alertmanager was added
         */
        public AlertmanagerNotifier build() {
            if (endpoints.isEmpty()) {
                throw new IllegalArgumentException("no Alertmanager URL: call alertmanager(URI) at least once");
            }
            return new AlertmanagerNotifier(this);
        }
    }
}
