package io.streammetrics.alert.notify;

import io.streammetrics.alert.AlertEvent.Kind;
import io.streammetrics.alert.rule.Severity;
import io.streammetrics.testing.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.streammetrics.alert.notify.TestAlerts.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An Alertmanager that keeps refusing: every resend fails and is counted, the log gets one line per interval. */
class AlertmanagerRefusalLogTest {
    private final TestClock clock = new TestClock(TestAlerts.FIRED_AT + 1000);
    private final Logger logger = Logger.getLogger(AlertmanagerNotifier.class.getName());
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    @AfterEach
    void stopListening() {
        logger.removeHandler(handler);
    }

    @Test
    void aRefusingAlertmanagerLogsOneLineWithoutStackTracePerInterval() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (AlertmanagerNotifier notifier = AlertmanagerNotifier.builder()
                .alertmanager(URI.create("http://127.0.0.1:" + closedPort + "/")).clock(clock)
                .resendInterval(Duration.ofHours(1)).retryPolicy(RetryPolicy.none()).build()) {
            assertThrows(Exception.class, () -> notifier.notify(event(Kind.FIRING,
                    TestAlerts.firing("Lag", Map.of("alertname", "Lag"), Severity.WARNING))));
            for (int i = 0; i < 5; i++) {
                notifier.resendNow();
            }
            assertEquals(5, notifier.resendFailures(), "every failure is counted");
            assertEquals(1, records.size(), "one line for five failures within the interval");
            LogRecord first = records.get(0);
            assertNull(first.getThrown(), "no stack trace");
            assertTrue(first.getMessage().contains("resending firing alerts to Alertmanager failed"), first.getMessage());
            assertTrue(first.getMessage().contains(String.valueOf(closedPort)), first.getMessage());
            assertFalse(first.getMessage().contains("\n"), first.getMessage());

            clock.advance(Duration.ofHours(1));
            notifier.resendNow();
            assertEquals(2, records.size());
            assertNull(records.get(1).getThrown());
            assertTrue(records.get(1).getMessage().contains("4 more failure(s)"), records.get(1).getMessage());
        }
    }
}
