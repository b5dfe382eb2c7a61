package io.streammetrics.alert.notify;

import io.streammetrics.alert.Alert;
import io.streammetrics.alert.AlertEvent;
import io.streammetrics.alert.AlertEvent.Kind;
import io.streammetrics.alert.AlertState;
import io.streammetrics.alert.rule.Severity;
import io.streammetrics.testing.ServerProcess;
import io.streammetrics.testing.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static io.streammetrics.alert.notify.TestAlerts.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlertmanagerNotifierTest {
    /** One second after {@link TestAlerts#FIRED_AT}: 2026-01-02T03:05:06.678Z. */
    private final TestClock clock = new TestClock(TestAlerts.FIRED_AT + 1000);
    private final RecordingServer server = RecordingServer.start();
    private final Alert lag = TestAlerts.firing("Lag", Map.of("alertname", "Lag", "stage", "parse", "empty", ""),
            Severity.WARNING);
    private final Alert warning = TestAlerts.firing("Lag", Map.of("alertname", "Lag", "severity", "warning"),
            Severity.WARNING);
    /** {@link #warning} escalated: its severity label changed, so Alertmanager sees another alert. */
    private final Alert critical = new Alert(warning.id(), "Lag", Map.of("alertname", "Lag", "severity", "critical"),
            warning.annotations(), Severity.CRITICAL, AlertState.FIRING, 0.9, warning.activeAtMillis(),
            warning.firedAtMillis(), 0, clock.epochMillis(), null, true);
    private AlertmanagerNotifier notifier;

    @AfterEach
    void stop() {
        if (notifier != null) {
            notifier.close();
        }
        server.close();
    }

    /** A notifier whose background resend stays out of the way (1 hour) unless a test asks for it. */
    private AlertmanagerNotifier.Builder alertmanager() {
        return AlertmanagerNotifier.builder().alertmanager(server.uri("/")).clock(clock)
                .resendInterval(Duration.ofHours(1)).retryPolicy(RetryPolicy.none());
    }

    @Test
    void firingIsPostedWithEndsAtFourResendIntervalsAheadAndPendingIsNotPosted() throws Exception {
        notifier = alertmanager().resendInterval(Duration.ofMinutes(1))
                .generatorUrl(alert -> "http://dash.example/" + alert.ruleName()).build();

        notifier.notify(event(Kind.PENDING, lag));
        notifier.notify(event(Kind.FIRING, lag));

        RecordingServer.Request request = server.next();
        assertEquals("/api/v2/alerts", request.path());
        assertEquals("[{\"labels\":{\"alertname\":\"Lag\",\"stage\":\"parse\"},"
                + "\"annotations\":{\"summary\":\"Lag is firing\"},"
                + "\"startsAt\":\"2026-01-02T03:05:05.678Z\",\"endsAt\":\"2026-01-02T03:09:06.678Z\","
                + "\"generatorURL\":\"http://dash.example/Lag\"}]", request.body());
        assertEquals(1, server.requests().size(), "the pending event was not posted");
        assertEquals(Map.of(lag.id(), lag), notifier.firingAlerts());
    }

    @Test
    void resolvedIsPostedOnceWithItsResolutionTimeAndNoLongerResent() throws Exception {
        notifier = alertmanager().build();
        notifier.notify(event(Kind.FIRING, lag));

        notifier.notify(event(Kind.RESOLVED, TestAlerts.resolved(lag)));
        notifier.resendNow();

        List<RecordingServer.Request> requests = server.requests();
        assertEquals(2, requests.size(), "firing, resolved, and no resend of a resolved alert");
        assertTrue(requests.get(1).body().contains("\"endsAt\":\"2026-01-02T03:10:05.678Z\""), requests.get(1).body());
        assertTrue(notifier.firingAlerts().isEmpty());
    }

    @Test
    void aResolutionOfAnAlertThatNeverFiredIsNotPosted() throws Exception {
        notifier = alertmanager().build();
        Alert pendingOnly = new Alert("p", "Lag", Map.of("alertname", "Lag"), Map.of(), Severity.INFO,
                AlertState.RESOLVED, 1, TestAlerts.ACTIVE_AT, 0, TestAlerts.RESOLVED_AT, TestAlerts.RESOLVED_AT, null,
                false);

        notifier.notify(event(Kind.RESOLVED, pendingOnly));
        notifier.notify(event(Kind.FIRING, lag));

        String first = server.next().body();
        assertTrue(first.contains("\"stage\":\"parse\""), "the first request is the firing alert: " + first);
        assertEquals(1, server.requests().size());
    }

    @Test
    void resendPostsEveryFiringAlertWithEndsAtFromTheClockNow() throws Exception {
        notifier = alertmanager().resendInterval(Duration.ofMinutes(1)).build();
        Alert other = TestAlerts.firing("Errors", Map.of("alertname", "Errors"), Severity.CRITICAL);
        notifier.notify(event(Kind.FIRING, lag));
        notifier.notify(event(Kind.FIRING, other));
        clock.advance(Duration.ofMinutes(1));

        notifier.resendNow();

        String resend = server.requests().get(2).body();
        assertTrue(resend.contains("\"alertname\":\"Lag\"") && resend.contains("\"alertname\":\"Errors\""), resend);
        assertEquals(2, resend.split("\"endsAt\":\"2026-01-02T03:10:06.678Z\"", -1).length - 1, resend);
    }

    @Test
    void theBackgroundThreadResendsOnItsInterval() throws Exception {
        notifier = alertmanager().resendInterval(Duration.ofMillis(100)).build();
        notifier.notify(event(Kind.FIRING, lag));

        server.next();
        String resent = server.next().body();
        String again = server.next().body();

        assertTrue(resent.contains("\"alertname\":\"Lag\"") && again.contains("\"alertname\":\"Lag\""), resent);
        assertEquals(0, notifier.resendFailures());
    }

    @Test
    void anEscalationThatChangedTheSeverityLabelResolvesTheOldLabels() throws Exception {
        // 1 hour resend interval: firing alerts are valid 4 hours.
        notifier = alertmanager().build();
        notifier.notify(event(Kind.FIRING, warning));

        notifier.notify(event(Kind.ESCALATED, critical));

        String body = server.requests().get(1).body();
        assertEquals("[{\"labels\":{\"alertname\":\"Lag\",\"severity\":\"critical\"},"
                + "\"annotations\":{\"summary\":\"Lag is firing\"},"
                + "\"startsAt\":\"2026-01-02T03:05:05.678Z\",\"endsAt\":\"2026-01-02T07:05:06.678Z\"},"
                + "{\"labels\":{\"alertname\":\"Lag\",\"severity\":\"warning\"},"
                + "\"annotations\":{\"summary\":\"Lag is firing\"},"
                + "\"startsAt\":\"2026-01-02T03:05:05.678Z\",\"endsAt\":\"2026-01-02T03:05:06.678Z\"}]", body);
    }

    @Test
    void aResolutionDuringAnInFlightResendIsPostedAgainAfterIt() throws Exception {
        // The resolution reaches Alertmanager before the stale resend does.
        List<RecordingServer.Request> requests = duringAResendOf(lag, event(Kind.RESOLVED, TestAlerts.resolved(lag)));

        assertEquals(4, requests.size(), "firing, resend, resolved, resolved again after the resend");
        assertTrue(requests.get(3).body().contains("\"endsAt\":\"2026-01-02T03:10:05.678Z\""), requests.get(3).body());
    }

    @Test
    void oldLabelsEndedByAnEscalationDuringAnInFlightResendArePostedResolvedAgainAfterIt() throws Exception {
        List<RecordingServer.Request> requests = duringAResendOf(warning, event(Kind.ESCALATED, critical));

        assertEquals(4, requests.size(), "firing, resend, escalated, old labels resolved again after the resend");
        assertEquals("[{\"labels\":{\"alertname\":\"Lag\",\"severity\":\"warning\"},"
                + "\"annotations\":{\"summary\":\"Lag is firing\"},"
                + "\"startsAt\":\"2026-01-02T03:05:05.678Z\",\"endsAt\":\"2026-01-02T03:05:06.678Z\"}]",
                requests.get(3).body());
    }

    @Test
    void aResolutionWithNoResendInFlightIsPostedOnce() throws Exception {
        notifier = alertmanager().build();
        notifier.notify(event(Kind.FIRING, lag));
        notifier.resendNow();

        notifier.notify(event(Kind.RESOLVED, TestAlerts.resolved(lag)));
        notifier.resendNow();

        assertEquals(3, server.requests().size(), "firing, resend, resolved");
    }

    @Test
    void withAnActiveAlertSourceTheResendFollowsItNotTheEvents() throws Exception {
        List<Alert> active = new java.util.concurrent.CopyOnWriteArrayList<>();
        notifier = alertmanager().activeAlerts(() -> active).build();
        notifier.notify(event(Kind.FIRING, lag));
        Alert pending = new Alert("q", "Queue", Map.of("alertname", "Queue"), Map.of(), Severity.INFO,
                AlertState.PENDING, 1, TestAlerts.ACTIVE_AT, 0, 0, TestAlerts.ACTIVE_AT, null, false);
        Alert errors = TestAlerts.firing("Errors", Map.of("alertname", "Errors"), Severity.CRITICAL);
        // The evaluator resolved Lag, but its RESOLVED event never reached the notifier (dropped from a full queue).
        active.add(pending);
        active.add(errors);

        notifier.resendNow();

        String resend = server.requests().get(1).body();
        assertTrue(resend.contains("\"alertname\":\"Errors\""), resend);
        assertTrue(!resend.contains("\"Lag\"") && !resend.contains("\"Queue\""), "only the source's firing alerts: " + resend);
    }

    @Test
    void succeedsWhenOneOfSeveralAlertmanagersAcceptsAndFailsWhenNoneDoes() throws Exception {
        URI down = URI.create("http://127.0.0.1:" + ServerProcess.freePort());
        notifier = alertmanager().alertmanager(down).build();
        assertEquals(List.of(server.uri("/api/v2/alerts"), URI.create(down + "/api/v2/alerts")), notifier.endpoints());

        notifier.notify(event(Kind.FIRING, lag));
        assertEquals(1, server.requests().size());

        server.respond(RecordingServer.Response.status(500));
        IOException failure = assertThrows(IOException.class, () -> notifier.notify(event(Kind.REPEAT, lag)));
        assertEquals(2, failure.getSuppressed().length, failure.toString());
        assertTrue(failure.getSuppressed()[0].getMessage().contains("HTTP 500"), failure.getSuppressed()[0].getMessage());
    }

    /**
     * Posts {@code firing}, then notifies {@code event} while a resend that carries {@code firing} is held at the
     * server, then lets the resend finish; returns every request the server got.
     */
    private List<RecordingServer.Request> duringAResendOf(Alert firing, AlertEvent event) throws Exception {
        notifier = alertmanager().build();
        notifier.notify(event(Kind.FIRING, firing));
        server.next();
        CountDownLatch resendOnTheWire = new CountDownLatch(1);
        server.respond(RecordingServer.blockedUntil(resendOnTheWire, 200));
        Thread resend = new Thread(notifier::resendNow, "test-resend");
        resend.start();
        server.next();

        notifier.notify(event);
        resendOnTheWire.countDown();
        resend.join(10_000);
        return server.requests();
    }

    @Test
    void badConfigurationIsRejectedWithTheProblemNamed() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> AlertmanagerNotifier.builder().build());
        assertTrue(none.getMessage().contains("no Alertmanager URL"), none.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> alertmanager().alertmanager(server.uri("/api/v2/alerts")));
        assertTrue(twice.getMessage().contains("added twice"), twice.getMessage());
        IllegalArgumentException interval = assertThrows(IllegalArgumentException.class,
                () -> alertmanager().resendInterval(Duration.ZERO));
        assertTrue(interval.getMessage().contains("resendInterval"), interval.getMessage());
    }
}
