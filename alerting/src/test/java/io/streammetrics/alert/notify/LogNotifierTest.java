package io.streammetrics.alert.notify;

import io.streammetrics.alert.Alert;
import io.streammetrics.alert.AlertEvent;
import io.streammetrics.alert.rule.Severity;
import org.junit.jupiter.api.Test;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogNotifierTest {
    /** Records what is logged at INFO and above. */
    private static final class RecordingLogger implements System.Logger {
        final List<String> lines = new ArrayList<>();

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return level.getSeverity() >= Level.INFO.getSeverity();
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(level + " " + msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(level + " " + format);
        }
    }

    private static AlertEvent event(AlertEvent.Kind kind, Severity severity) {
        return TestAlerts.event(kind, TestAlerts.firing("Lag", Map.of("stage", "parse"), severity));
    }

    @Test
    void levelFollowsSeverityWhileFiring() {
        assertEquals(Level.INFO, LogNotifier.level(event(AlertEvent.Kind.FIRING, Severity.INFO)));
        assertEquals(Level.WARNING, LogNotifier.level(event(AlertEvent.Kind.FIRING, Severity.WARNING)));
        assertEquals(Level.ERROR, LogNotifier.level(event(AlertEvent.Kind.REPEAT, Severity.CRITICAL)));
        assertEquals(Level.ERROR, LogNotifier.level(event(AlertEvent.Kind.ESCALATED, Severity.FATAL)));
    }

    @Test
    void pendingAndResolvedAreInfoWhateverTheSeverity() {
        assertEquals(Level.INFO, LogNotifier.level(event(AlertEvent.Kind.PENDING, Severity.FATAL)));
        assertEquals(Level.INFO, LogNotifier.level(event(AlertEvent.Kind.RESOLVED, Severity.CRITICAL)));
    }

    @Test
    void logsOneLineWithRuleSeverityValueLabelsAndSummary() {
        RecordingLogger logger = new RecordingLogger();
        Alert alert = TestAlerts.firing("Lag", Map.of("stage", "parse", "alertname", "Lag"), Severity.CRITICAL);

        LogNotifier.create(logger).notify(TestAlerts.event(AlertEvent.Kind.FIRING, alert));

        assertEquals(List.of("ERROR alert firing: Lag [critical] value=0.5 {alertname=Lag, stage=parse} - Lag is firing"),
                logger.lines);
    }
}
